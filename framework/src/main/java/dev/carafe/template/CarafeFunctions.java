package dev.carafe.template;

import dev.carafe.Context;
import dev.carafe.session.Session;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Function;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The functions Carafe adds to Pebble, named as in Flask's Jinja environment so templates read
 * the same: {@code url_for('todo', {'id': 7})}, {@code get_flashed_messages()} and
 * {@code csrf_token()}. They act on the request being rendered, found in the model under
 * {@link TemplateEngine#CONTEXT_KEY}.
 */
final class CarafeFunctions extends AbstractExtension {
    @Override
    public Map<String, Function> getFunctions() {
        return Map.of("url_for", new UrlFor(), "get_flashed_messages", new FlashedMessages(), "csrf_token", new CsrfToken());
    }

    private static Context context(EvaluationContext ec, String function) {
        if (ec.getVariable(TemplateEngine.CONTEXT_KEY) instanceof Context ctx) return ctx;
        throw new IllegalStateException(function + "() needs a request: render the template with ctx.render(...)");
    }

    /** {@code url_for(name)} or {@code url_for(name, {'id': 7})}: the route's URL, extra params as the query. */
    private static final class UrlFor implements Function {
        @Override
        public List<String> getArgumentNames() {
            return List.of("name", "params");
        }

        @Override
        public Object execute(Map<String, Object> args, PebbleTemplate self, EvaluationContext ec, int line) {
            Object name = args.get("name");
            if (name == null) throw new IllegalArgumentException("url_for() needs a route name");
            Object params = args.get("params");
            if (params != null && !(params instanceof Map)) {
                throw new IllegalArgumentException("url_for()'s second argument must be a map, like {'id': 7}");
            }
            @SuppressWarnings("unchecked")
            Map<String, ?> map = params == null ? Map.of() : (Map<String, ?>) params;
            try {
                return context(ec, "url_for").urlFor(name.toString(), map);
            } catch (IllegalArgumentException e) { // unknown name or bad parameter: report it at this line
                throw new PebbleException(e, e.getMessage(), line, self.getName());
            }
        }
    }

    /**
     * {@code get_flashed_messages()}: the messages' texts; with {@code with_categories=true} the
     * {@link Session.Flash}es ({@code f.category}, {@code f.message}); {@code category_filter=['error']}
     * keeps only those categories. Messages are taken once per request, as in Flask.
     */
    private static final class FlashedMessages implements Function {
        @Override
        public List<String> getArgumentNames() {
            return List.of("with_categories", "category_filter");
        }

        @Override
        public Object execute(Map<String, Object> args, PebbleTemplate self, EvaluationContext ec, int line) {
            boolean withCategories = Boolean.TRUE.equals(args.get("with_categories"));
            Object filter = args.get("category_filter");
            List<Object> out = new ArrayList<>();
            for (Session.Flash f : context(ec, "get_flashed_messages").flashedMessages()) {
                if (filter instanceof Collection<?> c && !c.isEmpty() && !c.contains(f.category())) continue;
                out.add(withCategories ? f : f.message());
            }
            return out;
        }
    }

    /** {@code csrf_token()}: the token to put in a hidden {@code csrf_token} field of a form. */
    private static final class CsrfToken implements Function {
        @Override
        public List<String> getArgumentNames() {
            return List.of();
        }

        @Override
        public Object execute(Map<String, Object> args, PebbleTemplate self, EvaluationContext ec, int line) {
            return context(ec, "csrf_token").csrfToken();
        }
    }
}
