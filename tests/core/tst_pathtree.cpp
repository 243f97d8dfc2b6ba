// Path decisions on the HTTP path tree (docs/cilium.md "Path decisions"): collapse and split
// overrides of the threshold, the tree the application draws, stale decisions.
#include "design/edgepaths.h"
#include "inventory/inventory.h"
#include "l7/pathcollapse.h"
#include "l7/pathdecision.h"

#include <QtTest>

using namespace bulkhead;

namespace {

PathOverrides overridesFrom(const QStringList &list)
{
    PathOverrides out;
    for (const QString &entry : list) { // "collapse /users" | "split /"
        const QStringList parts = entry.split(' ');
        out[parts[1].toStdString()]
            = parts[0] == "split" ? PathAction::Split : PathAction::Collapse;
    }
    return out;
}

} // namespace

class tst_PathTree : public QObject
{
    Q_OBJECT

private slots:
    void overrides_data();
    void overrides();
    void nodePaths_data();
    void nodePaths();
    void tree();
    void staleDecisions();
    void splitWins();
};

void tst_PathTree::overrides_data()
{
    QTest::addColumn<QStringList>("paths");
    QTest::addColumn<int>("threshold");
    QTest::addColumn<QStringList>("decisions");
    QTest::addColumn<QStringList>("patterns");
    const QStringList users{"/users/1",  "/users/2",  "/users/3", "/users/4",
                            "/orders/1", "/orders/2", "/orders"};
    QTest::newRow("threshold only")
        << users << 3 << QStringList{}
        << QStringList{"/orders", "/orders/1", "/orders/2", "/users/[^/]+"};
    QTest::newRow("split above the threshold")
        << users << 3 << QStringList{"split /users"}
        << QStringList{"/orders",  "/orders/1", "/orders/2", "/users/1",
                       "/users/2", "/users/3",  "/users/4"};
    QTest::newRow("collapse below the threshold")
        << users << 3 << QStringList{"collapse /orders"}
        << QStringList{"/orders", "/orders/[^/]+", "/users/[^/]+"};
    QTest::newRow("collapse with collapsing off")
        << users << 0 << QStringList{"collapse /orders"}
        << QStringList{"/orders", "/orders/[^/]+", "/users/1", "/users/2", "/users/3", "/users/4"};
    QTest::newRow("collapse at the root: one level only")
        << QStringList{"/a/x", "/b/y", "/c"} << 3 << QStringList{"collapse /"}
        << QStringList{"/[^/]+", "/[^/]+/x", "/[^/]+/y"};
    QTest::newRow("split at the root keeps lower collapses")
        << QStringList{"/a", "/b", "/c", "/d", "/d/1", "/d/2", "/d/3", "/d/4"} << 3
        << QStringList{"split /"} << QStringList{"/a", "/b", "/c", "/d", "/d/[^/]+"};
    QTest::newRow("split below a collapsed node")
        << QStringList{"/u/1/o/a", "/u/2/o/b", "/u/3/o/c", "/u/4/o/d", "/u/5/o/e"} << 3
        << QStringList{"split /u/[^/]+/o"}
        << QStringList{"/u/[^/]+/o/a", "/u/[^/]+/o/b", "/u/[^/]+/o/c", "/u/[^/]+/o/d",
                       "/u/[^/]+/o/e"};
    QTest::newRow("a node that does not exist changes nothing")
        << users << 3 << QStringList{"collapse /carts"}
        << QStringList{"/orders", "/orders/1", "/orders/2", "/users/[^/]+"};
    QTest::newRow("escaped literal, raw node path")
        << QStringList{"/v1.0/a", "/v1.0/b"} << 3 << QStringList{"collapse /v1.0"}
        << QStringList{"/v1\\.0/[^/]+"};
}

// Known patterns for each override: a split lists what the threshold would have merged, a
// collapse merges one level ([^/]+ never matches '/'), nothing else moves.
void tst_PathTree::overrides()
{
    QFETCH(QStringList, paths);
    QFETCH(int, threshold);
    QFETCH(QStringList, decisions);
    QFETCH(QStringList, patterns);
    std::vector<std::string> in;
    for (const QString &p : paths)
        in.push_back(p.toStdString());
    QStringList got;
    for (const CollapsedPath &c : collapsePaths(in, threshold, overridesFrom(decisions)))
        got << QString::fromStdString(c.pattern);
    QCOMPARE(got, patterns);
}

void tst_PathTree::nodePaths_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("valid");
    QTest::newRow("root") << "/" << true;
    QTest::newRow("one") << "/users" << true;
    QTest::newRow("wildcard") << "/users/[^/]+" << true;
    QTest::newRow("wildcard inside") << "/users/[^/]+/orders" << true;
    QTest::newRow("dots") << "/v1.0/x" << true;
    QTest::newRow("relative") << "users" << false;
    QTest::newRow("trailing slash") << "/users/" << false;
    QTest::newRow("empty segment") << "/a//b" << false;
    QTest::newRow("query") << "/a?b" << false;
    QTest::newRow("fragment") << "/a#b" << false;
    QTest::newRow("space") << "/a b" << false;
    QTest::newRow("other regex") << "/[a-z]+" << false;
    QTest::newRow("wildcard glued") << "/[^/]+x" << false;
    QTest::newRow("empty") << "" << false;
}

void tst_PathTree::nodePaths()
{
    QFETCH(QString, path);
    QFETCH(bool, valid);
    QCOMPARE(isValidNodePath(path.toStdString()), valid);
}

// The tree the application draws: each node's requests, distinct paths, methods, whether and why
// its children were collapsed, and the rules.http entries that end there.
void tst_PathTree::tree()
{
    const std::vector<PathRequest> requests{{"GET", "/users/1", 1},  {"GET", "/users/2", 1},
                                            {"GET", "/users/3", 1},  {"GET", "/users/4", 2},
                                            {"GET", "/orders/1", 1}, {"GET", "/orders/2", 1},
                                            {"POST", "/orders", 1}};
    PathTree t = buildPathTree(requests, 3);
    QCOMPARE(t.nodes.size(), size_t(6)); // /, /orders, /orders/1, /orders/2, /users, /users/[^/]+
    const PathTreeNode &root = t.nodes[0];
    QCOMPARE(root.requests, uint64_t(8));
    QCOMPARE(root.paths, size_t(7));
    QCOMPARE(root.methods, (std::set<std::string>{"GET", "POST"}));
    const PathTreeNode &users = t.nodes[static_cast<size_t>(t.find("/users"))];
    QCOMPARE(users.requests, uint64_t(5));
    QCOMPARE(users.paths, size_t(4));
    QVERIFY(users.collapsed == PathTreeNode::Collapse::Threshold);
    QCOMPARE(users.children.size(), size_t(1));
    const PathTreeNode &wild = t.nodes[static_cast<size_t>(users.children[0])];
    QCOMPARE(wild.nodePath, std::string("/users/[^/]+"));
    QCOMPARE(wild.rules, (std::vector<std::string>{"GET /users/[^/]+"}));
    const PathTreeNode &orders = t.nodes[static_cast<size_t>(t.find("/orders"))];
    QCOMPARE(orders.methods, (std::set<std::string>{"GET", "POST"}));
    QCOMPARE(orders.rules, (std::vector<std::string>{"POST /orders"}));
    QVERIFY(orders.collapsed == PathTreeNode::Collapse::None);
    QCOMPARE(orders.children.size(), size_t(2));

    t = buildPathTree(requests, 3,
                      {{"/orders", PathAction::Collapse}, {"/users", PathAction::Split}});
    QVERIFY(t.nodes[static_cast<size_t>(t.find("/orders"))].collapsed
            == PathTreeNode::Collapse::Decision);
    QCOMPARE(t.nodes[static_cast<size_t>(t.find("/orders/[^/]+"))].rules,
             (std::vector<std::string>{"GET /orders/[^/]+"}));
    QCOMPARE(t.find("/orders/1"), -1);
    const PathTreeNode &split = t.nodes[static_cast<size_t>(t.find("/users"))];
    QVERIFY(split.split);
    QVERIFY(split.collapsed == PathTreeNode::Collapse::None);
    QCOMPARE(split.children.size(), size_t(4));
    QCOMPARE(t.nodes[static_cast<size_t>(t.find("/users/4"))].requests, uint64_t(2));
    QVERIFY(buildPathTree({}, 3).nodes.empty());

    // Requests with a query string: the rules shown take it in as the generator writes them,
    // optional where some requests behind the rule had none, required where all had one.
    std::vector<PathRequest> withQueries = requests;
    withQueries[3].withQuery = 1; // one of the two GET /users/4
    withQueries[4].withQuery = 1; // GET /orders/1
    withQueries[6].withQuery = 1; // POST /orders
    t = buildPathTree(withQueries, 3);
    QCOMPARE(t.nodes[static_cast<size_t>(t.find("/users/[^/]+"))].rules,
             (std::vector<std::string>{"GET /users/[^/]+([?].*)?"}));
    QCOMPARE(t.nodes[static_cast<size_t>(t.find("/orders/1"))].rules,
             (std::vector<std::string>{"GET /orders/1[?].*"}));
    QCOMPARE(t.nodes[static_cast<size_t>(t.find("/orders/2"))].rules,
             (std::vector<std::string>{"GET /orders/2"}));
    QCOMPARE(t.nodes[static_cast<size_t>(t.find("/orders"))].rules,
             (std::vector<std::string>{"POST /orders[?].*"}));
    QCOMPARE(queryPatternSuffix(5, 0), std::string());
    QCOMPARE(queryPatternSuffix(5, 5), std::string("[?].*"));
    QCOMPARE(queryPatternSuffix(5, 2), std::string("([?].*)?"));
}

// A decision on an edge without requests, or on a node the tree does not have, is reported.
void tst_PathTree::staleDecisions()
{
    Inventory inv;
    for (const char *name : {"web", "api", "admin"}) {
        Workload w;
        w.ns = "shop";
        w.name = name;
        inv.workloads.push_back(w);
    }
    std::vector<HttpRequestSeen> requests;
    for (const char *p : {"/users/1", "/users/2"}) {
        HttpRequestSeen r;
        r.clientWorkload = 0;
        r.serverWorkload = 1;
        r.port = 8080;
        r.method = "GET";
        r.path = p;
        r.count = 1;
        requests.push_back(r);
    }
    const std::vector<PathDecision> decisions{
        {"shop/web", "shop/api", 8080, "/users", PathAction::Collapse},
        {"shop/web", "shop/api", 8080, "/users/[^/]+",
         PathAction::Split},                                            // exists after the collapse
        {"shop/web", "shop/api", 8080, "/carts", PathAction::Collapse}, // no such node
        {"shop/admin", "shop/api", 8080, "/users", PathAction::Split},  // no request on this edge
        {"shop/web", "shop/api", 9090, "/users", PathAction::Split}};   // nor on this port
    const std::vector<std::string> warnings = stalePathDecisions(inv, requests, 3, decisions);
    QCOMPARE(
        warnings,
        (std::vector<std::string>{
            "path decision \"collapse /carts on shop/web -> shop/api TCP/8080\": the edge's path "
            "tree "
            "has no node /carts; ignored",
            "path decision \"split /users on shop/admin -> shop/api TCP/8080\": no HTTP request "
            "was "
            "seen on this edge; ignored",
            "path decision \"split /users on shop/web -> shop/api TCP/9090\": no HTTP request was "
            "seen on this edge; ignored"}));
}

// Two decisions on one node of one rule (zone granularity: several clients share it): the split
// wins.
void tst_PathTree::splitWins()
{
    const std::vector<PathDecision> decisions{
        {"shop/a", "shop/api", 80, "/users", PathAction::Collapse},
        {"shop/b", "shop/api", 80, "/users", PathAction::Split},
        {"shop/c", "shop/api", 80, "/orders", PathAction::Collapse}};
    const PathOverrides both = pathOverridesFor(decisions, {"shop/a", "shop/b"}, {"shop/api"}, 80);
    QCOMPARE(both.size(), size_t(1));
    QVERIFY(both.at("/users") == PathAction::Split);
    const PathOverrides onlyA = pathOverridesFor(decisions, {"shop/a"}, {"shop/api"}, 80);
    QVERIFY(onlyA.at("/users") == PathAction::Collapse);
    QVERIFY(pathOverridesFor(decisions, {"shop/a"}, {"shop/api"}, 81).empty());
}

QTEST_GUILESS_MAIN(tst_PathTree)
#include "tst_pathtree.moc"
