package dev.carafe;

import dev.carafe.session.Csrf;
import java.util.List;

/** Runs a matched route through its hooks: before (outer to inner), the endpoint, after (inner to outer). */
final class Dispatch {
    private Dispatch() {}

    static Reply run(Context ctx, Route route) throws Exception {
        List<RouteGroup> chain = route.chain();
        // before any hook, as Flask-WTF's CSRFProtect does: no app code runs on a forged request
        if (ctx.app().csrfEnabled()) Csrf.check(ctx, route.csrfExempt());
        Object early = null;
        for (int i = 0; i < chain.size() && early == null; i++) {
            for (Hooks.Before hook : chain.get(i).before) {
                early = hook.before(ctx);
                if (early != null) break;
            }
        }
        Reply reply = Replies.from(ctx, early != null ? early : route.endpoint().handle(ctx));
        for (int i = chain.size() - 1; i >= 0; i--) {
            List<Hooks.After> hooks = chain.get(i).after;
            for (int j = hooks.size() - 1; j >= 0; j--) {
                reply = hooks.get(j).after(ctx, reply);
                if (reply == null) throw new IllegalStateException("An after-request hook returned null instead of a Reply");
            }
        }
        return reply;
    }
}
