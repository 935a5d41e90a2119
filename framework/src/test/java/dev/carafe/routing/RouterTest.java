package dev.carafe.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The lookup rules where the exact-path table for parameterless routes meets the trie. */
class RouterTest {
    private static Router<String> router() {
        Router<String> r = new Router<>();
        r.add("GET", PathPattern.parse("/plaintext"), "plain");
        r.add("GET", PathPattern.parse("/users/me"), "me");
        r.add("POST", PathPattern.parse("/users/{name}"), "create");
        r.add("GET", PathPattern.parse("/users/{id:int}"), "user");
        r.add("GET", PathPattern.parse("/projects/"), "projects");
        r.add("GET", PathPattern.parse("/café"), "cafe");
        return r;
    }

    private static Object target(Router.Result<String> result) {
        return assertInstanceOf(Router.Found.class, result).target();
    }

    @Test
    void aParameterlessRouteIsFoundWithoutAllocatingAResult() {
        Router<String> r = router();
        assertEquals("plain", target(r.find("GET", "/plaintext")));
        assertSame(r.find("GET", "/plaintext"), r.find("GET", "/plaintext")); // the same Found every time
        assertEquals(Map.of(), ((Router.Found<String>) r.find("GET", "/plaintext")).params());
        assertEquals("plain", target(r.find("HEAD", "/plaintext"))); // HEAD is answered by GET
    }

    @Test
    void anotherMethodOnAStaticPathStillReachesAParameterRoute() {
        Router<String> r = router();
        assertEquals("me", target(r.find("GET", "/users/me")));
        assertEquals("create", target(r.find("POST", "/users/me")));   // the static route has no POST
        assertEquals("user", target(r.find("GET", "/users/7")));
        var refused = assertInstanceOf(Router.MethodNotAllowed.class, r.find("DELETE", "/plaintext"));
        assertEquals(Set.of("GET"), refused.allowed());
    }

    @Test
    void slashesAndEncodingFollowTheTrie() {
        Router<String> r = router();
        assertEquals("projects", target(r.find("GET", "/projects/")));
        assertInstanceOf(Router.AddSlash.class, r.find("GET", "/projects"));
        assertInstanceOf(Router.NotFound.class, r.find("GET", "/plaintext/"));
        assertEquals("cafe", target(r.find("GET", "/caf%C3%A9")));      // decoded segment by segment
        assertEquals("plain", target(r.find("GET", "/pl%61intext")));
    }
}
