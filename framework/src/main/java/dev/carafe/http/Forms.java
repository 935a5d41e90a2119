package dev.carafe.http;

import dev.carafe.Config;
import dev.carafe.HttpError;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads form bodies: {@code application/x-www-form-urlencoded} and {@code multipart/form-data}. */
public final class Forms {
    private Forms() {}

    /** Parsed form fields and uploaded files. */
    public record Data(Map<String, List<String>> fields, Map<String, List<UploadedFile>> files) {
        void deleteFiles() {
            for (List<UploadedFile> list : files.values()) {
                for (UploadedFile f : list) {
                    try {
                        Files.deleteIfExists(f.path());
                    } catch (IOException ignored) {
                        // a temp file left behind is cleaned by the OS; the response must not fail for it
                    }
                }
            }
        }
    }

    /**
     * The largest body a form may need under {@code config}: the largest upload
     * ({@code MAX_UPLOAD_BYTES}) plus the form's text fields ({@code MAX_FORM_MEMORY_BYTES}).
     */
    public static long maxFormBytes(Config config) {
        return config.getLong("MAX_UPLOAD_BYTES", Multipart.DEFAULT_MAX_UPLOAD_BYTES)
                + config.getLong("MAX_FORM_MEMORY_BYTES", Multipart.DEFAULT_MAX_FORM_MEMORY_BYTES);
    }

    /** The form in {@code body}: urlencoded or multipart by {@code type} (its {@code Content-Type}), else empty. */
    static Data read(String type, RequestBody body, Config config) throws IOException {
        String base = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (base.equals("application/x-www-form-urlencoded")) {
            return new Data(parseUrlEncoded(body.text()), Map.of());
        }
        if (base.equals("multipart/form-data")) {
            return Multipart.parse(body.stream(), type, config);
        }
        return new Data(Map.of(), Map.of());
    }

    /** Parses {@code a=1&b=2&a=3}; {@code null} gives an empty map. Malformed escapes are a 400. */
    public static Map<String, List<String>> parseUrlEncoded(String s) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (s == null || s.isEmpty()) return out;
        try {
            for (String pair : s.split("&")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.computeIfAbsent(k, x -> new ArrayList<>(1)).add(v);
            }
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "Malformed percent-encoding in query or form");
        }
        return out;
    }
}
