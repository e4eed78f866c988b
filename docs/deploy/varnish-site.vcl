# What differs per deployment, included by varnish.vcl: the app servers and who may purge.
# Replace the addresses; the probe's Host must be one of the app's ALLOWED_HOSTS.

probe healthz {
    .request =
        "GET /healthz HTTP/1.1"
        "Host: www.example.org"
        "User-Agent: Varnish health probe"
        "Connection: close";
    .interval = 5s;
    .timeout = 2s;
    .window = 5;
    .threshold = 3;
}

backend app1 {
    .host = "10.0.0.11";
    .port = "8000";
    .probe = healthz;
}

backend app2 {
    .host = "10.0.0.12";
    .port = "8000";
    .probe = healthz;
}

sub vcl_init {
    app.add_backend(app1);
    app.add_backend(app2);
}

# The app servers send the purges (FRONTEND_CACHE_PURGE_URL); nobody else may.
acl purgers {
    "127.0.0.1";
    "10.0.0.11";
    "10.0.0.12";
}
