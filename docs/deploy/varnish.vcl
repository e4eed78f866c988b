vcl 4.1;
# Varnish in front of the app servers (docs/deploy.md, "Varnish").
#
# Shares with every reader what the app marks `public` (HTML pages, API v2 reads) for as long as
# its `s-maxage` says, and drops a page the moment the app sends a PURGE for its URL
# (wagtail.contrib.frontend_cache's HTTPBackend, FRONTEND_CACHE_PURGE_URL), which it does for
# exactly the pages a change touched. Everything personal goes straight to the app: the admin,
# previews, form posts, and anyone with a Django session or a pending message.
#
# `varnish-site.vcl`, beside this file, names the app servers and who may purge.

import directors;

sub vcl_init {
    new app = directors.round_robin();
}

include "./varnish-site.vcl";

sub vcl_recv {
    set req.backend_hint = app.backend();

    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        # The page at this path under every query string it was kept with (an API detail
        # asked for with `?fields=...`) and every host name, not only the exact URL.
        ban("obj.http.x-url ~ ^" + regsub(req.url, "\?.*$", "") + "(\?|$)");
        return (synth(200, "Purged"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|comments|_util|healthz|api/v3)(/|$)" ||
        req.url ~ "^/api/v2/page_preview/" ||
        req.http.Authorization) {
        return (pass);
    }

    # Tracking parameters change nothing on the page: one cached copy for all of them.
    if (req.url ~ "[?&](utm_[a-z]+|gclid|fbclid|msclkid|mc_cid|mc_eid)=") {
        set req.url = regsuball(req.url, "(utm_[a-z]+|gclid|fbclid|msclkid|mc_cid|mc_eid)=[^&]*&?", "");
        set req.url = regsub(req.url, "[?&]+$", "");
    }

    # Keep only Django's cookies; analytics and other tracking cookies never reach the app.
    if (req.http.Cookie) {
        set req.http.Cookie = ";" + req.http.Cookie;
        set req.http.Cookie = regsuball(req.http.Cookie, "; +", ";");
        set req.http.Cookie = regsuball(req.http.Cookie, ";(sessionid|messages|csrftoken)=", "; \1=");
        set req.http.Cookie = regsuball(req.http.Cookie, ";[^ ][^;]*", "");
        set req.http.Cookie = regsuball(req.http.Cookie, "^[; ]+|[; ]+$", "");
        if (req.http.Cookie == "") {
            unset req.http.Cookie;
        }
    }
    # A session (a signed-in reader or editor) or a message just for this reader.
    if (req.http.Cookie ~ "(^|; )(sessionid|messages)=") {
        return (pass);
    }
    # The CSRF cookie alone changes nothing on a shared page: its comment form carries no token
    # (anonymous posts need none; a signed-in reader has a session, passed above).
    unset req.http.Cookie;
    return (hash);
}

sub vcl_hash {
    # http and https answers differ (the HTTPS redirect): keep them apart.
    hash_data(req.http.X-Forwarded-Proto);
}

sub vcl_backend_response {
    # Lets a PURGE's ban find the object by URL in the background (lurker-friendly).
    set beresp.http.x-url = bereq.url;
    # Only what the app says may be shared is kept: no Cache-Control, no caching.
    if (!beresp.http.Cache-Control) {
        set beresp.ttl = 0s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # An expired page may still be served for a while if every app server is down. Changes
    # never wait for this: a purge removes the page outright.
    set beresp.grace = 1h;
}

sub vcl_deliver {
    unset resp.http.x-url;
    # s-maxage is for this cache, which is purged; no shared cache downstream may keep a page.
    if (resp.http.Cache-Control ~ "s-maxage") {
        set resp.http.Cache-Control = regsub(resp.http.Cache-Control, ", *s-maxage=[0-9]+", "");
    }
    if (obj.hits > 0) {
        set resp.http.X-Edge-Cache = "HIT";
    } else {
        set resp.http.X-Edge-Cache = "MISS";
    }
}
