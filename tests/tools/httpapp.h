#pragma once

// A small app with HTTP traffic for the path-tree tests (core, command line, application):
// shop/web calls shop/api on 8080 over HTTP/1.1 with
//   GET /users/1, /users/2, /users/3, /users/4 (twice, once as /users/4?full=1), GET /orders/1,
//   /orders/2, POST /orders,
// shop/admin calls shop/api on 8080 with GET /users/9, and shop/web calls shop/pay on 443 over
// TLS (no paths). One of the requests for /users/4 carries a query string (?full=1). With the
// default threshold 3 the web -> api rules are
//   GET /orders/1, GET /orders/2, GET /users/[^/]+([?].*)?, POST /orders.

#include <string>

namespace bulkhead::testing {

// Writes `inventory.yaml` and `http.pcap` into dir; false when a file cannot be written.
bool writeHttpApp(const std::string &dir);

} // namespace bulkhead::testing
