package dev.carafe.examples.todo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text format (0.0.4): every line a {@code # HELP}, a
 * {@code # TYPE} or a sample; each sample's family typed before it; label values with only the
 * three escapes the format has; histograms cumulative with a {@code +Inf} bucket equal to
 * {@code _count}. Anything else fails with the line.
 */
final class PrometheusText {
    record Sample(String name, Map<String, String> labels, double value) {}

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern COMMENT = Pattern.compile("# (HELP|TYPE) (" + NAME + ") (.*)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"");

    private PrometheusText() {}

    static List<Sample> parse(String text) {
        if (!text.endsWith("\n")) throw new IllegalArgumentException("the exposition must end with a newline");
        Map<String, String> types = new HashMap<>();
        List<Sample> samples = new ArrayList<>();
        for (String line : text.substring(0, text.length() - 1).split("\n", -1)) {
            Matcher c = COMMENT.matcher(line);
            if (c.matches()) {
                if (c.group(1).equals("TYPE")) {
                    if (!c.group(3).matches("counter|gauge|histogram|summary|untyped")) fail(line, "unknown type");
                    if (types.put(c.group(2), c.group(3)) != null) fail(line, "a second TYPE");
                }
                continue;
            }
            if (line.startsWith("#")) fail(line, "a comment that is neither HELP nor TYPE");
            samples.add(sample(line, types));
        }
        checkHistograms(samples, types);
        return samples;
    }

    private static Sample sample(String line, Map<String, String> types) {
        Matcher n = NAME.matcher(line);
        if (!n.lookingAt()) fail(line, "no metric name");
        String name = n.group();
        int i = n.end();
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            int close = labelsEnd(line, i + 1);
            String inner = line.substring(i + 1, close);
            Matcher l = LABEL.matcher(inner);
            int at = 0;
            while (at < inner.length()) {
                if (!l.find(at) || l.start() != at) fail(line, "bad label at " + inner.substring(at));
                if (labels.put(l.group(1), unescape(l.group(2))) != null) fail(line, "a label twice");
                at = l.end();
                if (at < inner.length()) {
                    if (inner.charAt(at) != ',') fail(line, "labels must be separated by commas");
                    at++;
                }
            }
            i = close + 1;
        }
        if (i >= line.length() || line.charAt(i) != ' ') fail(line, "no space before the value");
        String value = line.substring(i + 1);
        double v;
        switch (value) {
            case "+Inf" -> v = Double.POSITIVE_INFINITY;
            case "-Inf" -> v = Double.NEGATIVE_INFINITY;
            case "NaN" -> v = Double.NaN;
            default -> {
                if (!value.matches("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?")) fail(line, "not a number: " + value);
                v = Double.parseDouble(value);
            }
        }
        if (!types.containsKey(family(name, types))) fail(line, "no TYPE for its family before it");
        return new Sample(name, labels, v);
    }

    /** The index of the {@code }} closing the labels, skipping quoted values. */
    private static int labelsEnd(String line, int from) {
        boolean quoted = false;
        for (int i = from; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted && ch == '\\') i++;
            else if (ch == '"') quoted = !quoted;
            else if (!quoted && ch == '}') return i;
        }
        fail(line, "unclosed labels");
        return -1;
    }

    static String family(String name, Map<String, String> types) {
        for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                String t = types.get(base);
                if ("histogram".equals(t) || "summary".equals(t) && !suffix.equals("_bucket")) return base;
            }
        }
        return name;
    }

    private static void checkHistograms(List<Sample> samples, Map<String, String> types) {
        Map<String, List<Sample>> buckets = new TreeMap<>();
        Map<String, Double> counts = new HashMap<>();
        for (Sample s : samples) {
            String f = family(s.name(), types);
            if (!"histogram".equals(types.get(f))) continue;
            Map<String, String> rest = new TreeMap<>(s.labels());
            if (s.name().endsWith("_bucket")) {
                if (rest.remove("le") == null) throw new IllegalArgumentException("a bucket without le: " + s);
                buckets.computeIfAbsent(f + rest, k -> new ArrayList<>()).add(s);
            } else if (s.name().endsWith("_count")) {
                counts.put(f + rest, s.value());
            }
        }
        buckets.forEach((series, list) -> {
            double last = -1, lastLe = Double.NEGATIVE_INFINITY;
            for (Sample b : list) {
                String leText = b.labels().get("le");
                double le = leText.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(leText);
                if (le <= lastLe) throw new IllegalArgumentException("buckets out of order in " + series);
                if (b.value() < last) throw new IllegalArgumentException("buckets not cumulative in " + series);
                last = b.value();
                lastLe = le;
            }
            if (lastLe != Double.POSITIVE_INFINITY) throw new IllegalArgumentException("no +Inf bucket in " + series);
            if (!Double.valueOf(last).equals(counts.get(series))) throw new IllegalArgumentException("+Inf bucket != _count in " + series);
        });
    }

    private static String unescape(String v) {
        return v.replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
    }

    private static void fail(String line, String why) {
        throw new IllegalArgumentException(why + ": " + line);
    }
}
