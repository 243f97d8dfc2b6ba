// The graph at every level (core/graph/graphlevel.h): box and arrow counts on a generated model
// whose counts are known by construction, opening zones and namespaces, the focus view, and the
// stable layout that keeps boxes in place (core/layout/stablelayout.h).
#include "design/intent.h"
#include "graph/graphlevel.h"
#include "graph/graphmodel.h"
#include "layout/stablelayout.h"
#include "model/model.h"
#include "project/project.h"
#include "testsupport.h"

#include <QtTest>

#include <algorithm>

using namespace bulkhead;

namespace {

const char *const kZones[4] = {"public", "internal", "confidential", "restricted"};

// `count` workloads svcN in namespace ns(N % 10), zone kZones[N % 4]; N talks to N+1 and N+7 on
// TCP 8000 + N % 5; workload 0 also talks to one external address.
Model generatedModel(int count)
{
    Model model;
    model.zones = defaultZones();
    for (int i = 0; i < count; ++i) {
        Workload w;
        w.ns = "ns" + std::to_string(i % 10);
        w.name = "svc" + std::to_string(i);
        w.kind = "Deployment";
        w.zone = kZones[i % 4];
        model.inventory.workloads.push_back(std::move(w));
    }
    const auto edge = [](Peer from, Peer to, uint16_t port) {
        Edge e;
        e.from = from;
        e.to = to;
        e.port = port;
        e.evidence.flows = 1;
        e.evidence.packets = 2;
        return e;
    };
    for (int i = 0; i < count; ++i) {
        const auto port = static_cast<uint16_t>(8000 + i % 5);
        model.analysis.edges.push_back(
            edge(Peer::workload(i), Peer::workload((i + 1) % count), port));
        model.analysis.edges.push_back(
            edge(Peer::workload(i), Peer::workload((i + 7) % count), port));
    }
    Peer outside;
    outside.kind = PeerKind::External;
    outside.address = *IpAddress::parse("203.0.113.9");
    model.analysis.edges.push_back(edge(Peer::workload(0), outside, 443));
    std::sort(model.analysis.edges.begin(), model.analysis.edges.end(), edgeLess);
    return model;
}

GraphModel fullGraph(const Model &model)
{
    const Intent intent = computeIntent(model.inventory, model.zones, model.analysis, Decisions{});
    return buildGraphModel(model, intent);
}

int boxKeyed(const GraphModel &graph, const std::string &key)
{
    for (size_t i = 0; i < graph.nodes.size(); ++i)
        if (graph.nodes[i].key == key)
            return static_cast<int>(i);
    return -1;
}

const GraphModelEdge *arrow(const GraphModel &graph, const std::string &from, const std::string &to)
{
    const int a = boxKeyed(graph, from), b = boxKeyed(graph, to);
    for (const GraphModelEdge &edge : graph.edges)
        if (edge.from == a && edge.to == b)
            return &edge;
    return nullptr;
}

} // namespace

class tst_GraphLevel : public QObject
{
    Q_OBJECT

private slots:
    void levelNames();
    void boxCounts();
    void zonesFoldArrowsWithCounts();
    void clusterArrowsDrawOnce();
    void autoPicksTheMostDetailedLevelUnderTheLimit();
    void openZoneThenNamespace();
    void bigNamespaceOpensOnGroups();
    void focusBothDirections();
    void viewKeys();
    void stableLayoutKeepsBoxes();
    void clusterArrowsKeepTheirRoute();
    void projectKeepsPositionsPerView();
};

void tst_GraphLevel::levelNames()
{
    for (GraphLevel level :
         {GraphLevel::Zones, GraphLevel::Namespaces, GraphLevel::Workloads, GraphLevel::Focus})
        QCOMPARE(graphLevelFromName(graphLevelName(level)), level);
    QVERIFY(!graphLevelFromName("auto"));
    QVERIFY(!graphLevelFromName("Zones"));
}

void tst_GraphLevel::boxCounts()
{
    const Model model = generatedModel(400);
    const GraphModel full = fullGraph(model);
    QCOMPARE(full.nodes.size(), size_t(401)); // 400 workloads + the external address
    // 4 zones + one box for external addresses.
    const GraphModel zones = buildLevelGraph(full, model, {GraphLevel::Zones});
    QCOMPARE(zones.nodes.size(), size_t(5));
    QCOMPARE(zones.nodes[boxKeyed(zones, "z:public")].workloads.size(), size_t(100));
    QCOMPARE(zones.nodes[boxKeyed(zones, "z:public")].caption, std::string("100 workloads"));
    QCOMPARE(zones.nodes[boxKeyed(zones, "g:external addresses")].peers, 1);
    // Namespace N holds workloads N, N+10, ...: zones N%4, (N+2)%4, so 20 (zone, namespace) boxes.
    const GraphModel namespaces = buildLevelGraph(full, model, {GraphLevel::Namespaces});
    QCOMPARE(namespaces.nodes.size(), size_t(21));
    const GraphModelNode &ns0 = namespaces.nodes[boxKeyed(namespaces, "n:public/ns0")];
    QCOMPARE(ns0.workloads.size(), size_t(20)); // 0, 20, 40, ..., 380
    QCOMPARE(ns0.cluster, std::string("public"));
    // its arrows to the other zones fold into the zones' arrows (clusterArrowsDrawOnce): counted.
    QCOMPARE(ns0.caption, std::string("20 workloads · 2 out, 2 in"));
    QVERIFY(boxKeyed(namespaces, "n:internal/ns0")
            < 0); // ns0 holds only multiples of 10: zones 0 and 2
    QVERIFY(boxKeyed(namespaces, "n:confidential/ns0") >= 0);
    const GraphModel workloads = buildLevelGraph(full, model, {GraphLevel::Workloads});
    QCOMPARE(workloads.nodes.size(), size_t(401));
    QCOMPARE(workloads.edges.size(), size_t(801));
    // Every box sits in its zone's cluster at every level.
    for (const GraphModel *graph : {&zones, &namespaces, &workloads})
        for (const GraphModelNode &box : graph->nodes)
            QVERIFY2(box.kind == BoxKind::Zone ? box.cluster.empty()
                                               : box.cluster == GraphModel::externalCluster
                                                     || model.zones.level(box.cluster) != nullptr,
                     box.key.c_str());
}

void tst_GraphLevel::zonesFoldArrowsWithCounts()
{
    const Model model = generatedModel(400);
    const GraphModel zones = buildLevelGraph(fullGraph(model), model, {GraphLevel::Zones});
    // +1 and +7 always change zone (mod 4: +1 and +3): 8 zone arrows, nothing inside a zone, each
    // pair of neighbouring zones both ways: 4 arrows drawn once each; and public -> external.
    QCOMPARE(zones.edges.size(), size_t(5));
    for (const GraphModelNode &box : zones.nodes)
        QCOMPARE(box.innerArrows, 0);
    const GraphModelEdge *up = arrow(zones, "z:public", "z:internal"); // from the lower zone
    QVERIFY(up);
    QVERIFY(up->bothWays);
    QCOMPARE(up->arrows, 200); // svc0 -> svc1, svc4 -> svc5, ... and back svc1 -> svc8, ...
    QCOMPARE(up->backArrows, 100);
    QCOMPARE(up->ports.size(), size_t(5));
    QCOMPARE(up->portsLabel(), std::string("TCP/8000, TCP/8001, TCP/8002 +2"));
    QCOMPARE(up->label(), std::string("100 pairs → · 100 ← · 5 ports"));
    QCOMPARE(up->members.size(), size_t(200));
    QCOMPARE(up->evidence.packets, uint64_t(400));
    QVERIFY(!arrow(zones, "z:internal", "z:public"));
    const GraphModelEdge *back
        = arrow(zones, "z:public", "z:restricted"); // +7 = +3 mod 4, and +1 back
    QVERIFY(back);
    QCOMPARE(back->arrows, 200);
    QVERIFY(!arrow(zones, "z:public", "z:confidential"));
    const GraphModelEdge *out = arrow(zones, "z:public", "g:external addresses");
    QVERIFY(out);
    QVERIFY(!out->bothWays);
    QCOMPARE(out->portsLabel(), std::string("TCP/443"));
    QCOMPARE(out->label(), std::string("TCP/443"));
}

void tst_GraphLevel::clusterArrowsDrawOnce()
{
    const Model model = generatedModel(400);
    const GraphModel full = fullGraph(model);
    // Namespaces: public (ns0, 2, 4, 6, 8) calls internal (+1) and restricted (+7), and each of
    // them calls back: 20 namespace arrows fold into one arrow per pair of zone clusters, both
    // ways; ns0's one arrow to the external address stays its own.
    const GraphModel namespaces = buildLevelGraph(full, model, {GraphLevel::Namespaces});
    QCOMPARE(namespaces.edges.size(), size_t(4 + 1));
    int clusterArrows = 0;
    for (const GraphModelEdge &edge : namespaces.edges) {
        if (edge.tailCluster.empty())
            continue;
        ++clusterArrows;
        QVERIFY(edge.bothWays);
        QCOMPARE(edge.arrows, 200);
        QCOMPARE(edge.backArrows, 100);
        QVERIFY(!edge.headCluster.empty());
        QCOMPARE(namespaces.nodes[edge.from].cluster, edge.tailCluster); // from its first box
        QCOMPARE(namespaces.nodes[edge.to].cluster, edge.headCluster);
        // from the lower zone to the higher
        QVERIFY(model.zones.levelIndex(edge.tailCluster)
                < model.zones.levelIndex(edge.headCluster));
    }
    QCOMPARE(clusterArrows, 4);
    const GraphModelEdge *external = arrow(namespaces, "n:public/ns0", "g:external addresses");
    QVERIFY(external);
    QVERIFY(external->tailCluster.empty());

    // Inside public/ns0 (svc0, svc20, ..., svc380): its 20 workloads each call internal and
    // restricted and are called from both: one arrow each way-pair between the namespace's
    // cluster and the zone box; likewise public's other namespaces (a cluster of 4) with those
    // zones; internal and confidential, confidential and restricted both ways; svc0's external.
    LevelView inNs{GraphLevel::Workloads, "public", "ns0"};
    const GraphModel one = buildLevelGraph(full, model, inNs);
    QCOMPARE(one.nodes.size(), size_t(20 + 4 + 3 + 1));
    QCOMPARE(one.edges.size(), size_t(7));
    const std::string nsCluster = namespaceClusterName("public", "ns0");
    QCOMPARE(nsCluster, std::string("ns0 (public)"));
    QCOMPARE(one.nodes[boxKeyed(one, "w:ns0/svc20")].cluster, nsCluster);
    QCOMPARE(one.nodes[boxKeyed(one, "n:public/ns4")].cluster, std::string("public"));
    const GraphModelEdge *toInternal = arrow(one, "w:ns0/svc0", "z:internal");
    QVERIFY(toInternal);
    QCOMPARE(toInternal->tailCluster, nsCluster);
    QVERIFY(toInternal->headCluster.empty());
    QCOMPARE(toInternal->arrows, 40);
    QCOMPARE(toInternal->backArrows, 20);
    QCOMPARE(toInternal->members.size(), size_t(40));
    const GraphModelEdge *zonesBoth = arrow(one, "z:internal", "z:confidential");
    QVERIFY(zonesBoth);
    QVERIFY(zonesBoth->bothWays);
    QVERIFY(arrow(one, "z:confidential", "z:restricted"));
    QVERIFY(arrow(one, "w:ns0/svc0", "g:external addresses"));
    // Each workload: its two arrows out and two in folded, counted on it.
    QCOMPARE(one.nodes[boxKeyed(one, "w:ns0/svc20")].caption, std::string("public · 2 out, 2 in"));
    QCOMPARE(one.nodes[boxKeyed(one, "n:public/ns4")].caption,
             std::string("20 workloads · 2 out, 2 in"));
}

void tst_GraphLevel::autoPicksTheMostDetailedLevelUnderTheLimit()
{
    const Model small = generatedModel(200); // 201 boxes
    QCOMPARE(autoLevel(fullGraph(small), small), GraphLevel::Workloads);
    const Model large = generatedModel(400); // 401 boxes, 21 at namespaces
    QCOMPARE(autoLevel(fullGraph(large), large), GraphLevel::Namespaces);
    QCOMPARE(autoLevel(fullGraph(large), large, 20), GraphLevel::Zones);
    QCOMPARE(autoLevel(fullGraph(large), large, 21), GraphLevel::Namespaces);
}

void tst_GraphLevel::openZoneThenNamespace()
{
    const Model model = generatedModel(400);
    const GraphModel full = fullGraph(model);
    const LevelView top{GraphLevel::Zones};
    const GraphModel zones = buildLevelGraph(full, model, top);
    const auto opened = openBox(zones, boxKeyed(zones, "z:public"), top);
    QVERIFY(opened);
    QCOMPARE(opened->level, GraphLevel::Namespaces);
    QCOMPARE(opened->zone, std::string("public"));
    // public holds workloads 0, 4, 8, ...: namespaces 0, 2, 4, 6, 8; the other zones stay folded.
    const GraphModel inZone = buildLevelGraph(full, model, *opened);
    QCOMPARE(inZone.nodes.size(), size_t(5 + 3 + 1));
    QVERIFY(boxKeyed(inZone, "n:public/ns4") >= 0);
    QVERIFY(boxKeyed(inZone, "z:internal") >= 0);
    QVERIFY(boxKeyed(inZone, "z:public") < 0);
    QVERIFY(boxKeyed(inZone, "n:internal/ns1") < 0);

    const auto ns = openBox(inZone, boxKeyed(inZone, "n:public/ns0"), *opened);
    QVERIFY(ns);
    QCOMPARE(ns->level, GraphLevel::Workloads);
    QCOMPARE(ns->ns, std::string("ns0"));
    // public/ns0: svc0, svc20, ..., svc380 (20 boxes), public's 4 other namespaces, 3 zones,
    // externals.
    const GraphModel inNs = buildLevelGraph(full, model, *ns);
    QCOMPARE(inNs.nodes.size(), size_t(20 + 4 + 3 + 1));
    QVERIFY(boxKeyed(inNs, "w:ns0/svc20") >= 0);
    QVERIFY(boxKeyed(inNs, "w:ns4/svc4") < 0);
    QVERIFY(boxKeyed(inNs, "n:public/ns4") >= 0);
    // svc0 -> svc1 (internal, a zone box) is folded into the namespace's arrow
    // (clusterArrowsDrawOnce).
    QVERIFY(!arrow(inNs, "w:ns0/svc20", "z:internal"));

    // A workload opens its focus; an external box opens nothing.
    const auto focus = openBox(inNs, boxKeyed(inNs, "w:ns0/svc20"), *ns, 2);
    QVERIFY(focus);
    QCOMPARE(focus->level, GraphLevel::Focus);
    QCOMPARE(focus->focus, 20);
    QCOMPARE(focus->hops, 2);
    QVERIFY(!openBox(inNs, boxKeyed(inNs, "g:external addresses"), *ns));
    QVERIFY(!openBox(inNs, -1, *ns));
}

void tst_GraphLevel::bigNamespaceOpensOnGroups()
{
    const Model model = generatedModel(400);
    const GraphModel full = fullGraph(model);
    LevelView ns{GraphLevel::Workloads, "public", "ns0"};
    // public/ns0 holds svc0, svc20, ..., svc380: 20 workloads of one stem. Over a limit of 8 they
    // open on 3 name ranges (6, 7, 7, in number order), beside public's 4 other namespaces, the
    // 3 other zones and the external addresses.
    const GraphModel groups = buildLevelGraph(full, model, ns, 8);
    QCOMPARE(groups.nodes.size(), size_t(3 + 4 + 3 + 1));
    QVERIFY(boxKeyed(groups, "w:ns0/svc20") < 0);
    const int first = boxKeyed(groups, "s:public/ns0/svc0 – svc100");
    const int second = boxKeyed(groups, "s:public/ns0/svc120 – svc240");
    QVERIFY(first >= 0 && second >= 0 && boxKeyed(groups, "s:public/ns0/svc260 – svc380") >= 0);
    const GraphModelNode &box = groups.nodes[first];
    QCOMPARE(box.kind, BoxKind::Group);
    QVERIFY(box.isAggregate());
    QCOMPARE(box.title, std::string("svc0 – svc100"));
    QCOMPARE(box.cluster, namespaceClusterName("public", "ns0"));
    QCOMPARE(box.workloads, (std::vector<int>{0, 20, 40, 60, 80, 100}));
    QCOMPARE(groups.nodes[second].workloads.size(), size_t(7));
    // Its arrows folded to the other zones' boxes as a namespace box's are: counted.
    QVERIFY(box.caption.starts_with("6 workloads"));
    // At the default limit the 20 workloads are drawn (openZoneThenNamespace).
    QCOMPARE(buildLevelGraph(full, model, ns).nodes.size(), size_t(20 + 4 + 3 + 1));

    // Double-clicking a group opens it: its 7 workloads in a cluster of their own, the other 2
    // groups folded.
    const auto opened = openBox(groups, second, ns);
    QVERIFY(opened);
    QCOMPARE(opened->level, GraphLevel::Workloads);
    QCOMPARE(opened->ns, std::string("ns0"));
    QCOMPARE(opened->group, std::string("svc120 – svc240"));
    QCOMPARE(opened->key(model), std::string("workloads@public/ns0/svc120 – svc240"));
    const GraphModel inGroup = buildLevelGraph(full, model, *opened, 8);
    QCOMPARE(inGroup.nodes.size(), size_t(7 + 2 + 4 + 3 + 1));
    const int svc120 = boxKeyed(inGroup, "w:ns0/svc120");
    QVERIFY(svc120 >= 0);
    QCOMPARE(inGroup.nodes[svc120].cluster, std::string("ns0 › svc120 – svc240 (public)"));
    QVERIFY(boxKeyed(inGroup, "s:public/ns0/svc0 – svc100") >= 0);
    QVERIFY(boxKeyed(inGroup, "s:public/ns0/svc120 – svc240") < 0);
    // A group opens nothing outside a namespace's view.
    QVERIFY(!openBox(groups, first, LevelView{GraphLevel::Namespaces}));
}

void tst_GraphLevel::focusBothDirections()
{
    const Model model = generatedModel(400);
    const GraphModel full = fullGraph(model);
    LevelView view{GraphLevel::Focus};
    view.focus = 0;
    view.hops = 1;
    // svc0 reaches svc1, svc7 and 203.0.113.9; svc399 and svc393 reach it.
    const GraphModel one = buildLevelGraph(full, model, view);
    QCOMPARE(one.nodes.size(), size_t(6));
    for (const char *key : {"w:ns0/svc0", "w:ns1/svc1", "w:ns7/svc7", "w:ns9/svc399",
                            "w:ns3/svc393", "p:203.0.113.9"})
        QVERIFY2(boxKeyed(one, key) >= 0, key);
    QCOMPARE(one.nodes[boxKeyed(one, "w:ns0/svc0")].hops, 0);
    QCOMPARE(one.nodes[boxKeyed(one, "w:ns9/svc399")].hops, 1);
    QCOMPARE(one.nodes[boxKeyed(one, "w:ns0/svc0")].caption, std::string("public · focus"));
    // svc0's five arrows, and none beyond the shown boxes.
    QCOMPARE(one.edges.size(), size_t(5));
    for (const GraphModelEdge &edge : one.edges)
        QVERIFY(one.nodes[edge.from].hops == 0 || one.nodes[edge.to].hops == 0
                || (one.nodes[edge.from].hops == 1 && one.nodes[edge.to].hops == 1));
    view.hops = 2;
    const GraphModel two = buildLevelGraph(full, model, view);
    QVERIFY(two.nodes.size() > one.nodes.size());
    QCOMPARE(two.nodes[boxKeyed(two, "w:ns2/svc2")].hops, 2); // svc0 -> svc1 -> svc2
    QCOMPARE(two.nodes[boxKeyed(two, "w:ns2/svc2")].caption, std::string("confidential · 2 hops"));
    // An unknown workload shows nothing.
    view.focus = 4000;
    QVERIFY(buildLevelGraph(full, model, view).nodes.empty());
}

void tst_GraphLevel::viewKeys()
{
    const Model model = generatedModel(40);
    QCOMPARE(LevelView{GraphLevel::Zones}.key(model), std::string("zones"));
    LevelView view{GraphLevel::Workloads, "public", "ns0"};
    QCOMPARE(view.key(model), std::string("workloads@public/ns0"));
    view = {GraphLevel::Focus};
    view.focus = 3;
    view.hops = 2;
    QCOMPARE(view.key(model), std::string("focus@ns3/svc3/2"));
}

void tst_GraphLevel::stableLayoutKeepsBoxes()
{
    // A namespace view laid out by dot; then one more workload box appears in "internal".
    LayoutInput before;
    std::vector<std::string> keys;
    for (int i = 0; i < 6; ++i) {
        before.nodes.push_back({80, 36, i < 3 ? "public" : "internal"});
        keys.push_back("w:" + std::to_string(i));
    }
    for (int i = 0; i < 5; ++i)
        before.edges.push_back({i, i + 1});
    auto first = layoutGraph(before, {.engine = LayoutEngine::Dot});
    QVERIFY(first);
    const KeptLayout kept = keepLayout(before, keys, *first);
    QCOMPARE(kept.boxes.size(), size_t(6));

    LayoutInput after = before;
    after.nodes.push_back({80, 36, "internal"});
    keys.push_back("w:new");
    after.edges.push_back({0, 6});
    after.edges.push_back({6, 1});
    auto fresh = layoutGraph(after, {.engine = LayoutEngine::Dot});
    QVERIFY(fresh);
    const GraphLayout stable = stabilizeLayout(*fresh, after, keys, kept);
    for (int i = 0; i < 6; ++i)
        QCOMPARE(stable.nodes[i].centre, first->nodes[i].centre);
    // The new box overlaps none of the kept ones.
    const LayoutRect added = stable.nodes[6].rect();
    for (int i = 0; i < 6; ++i) {
        const LayoutRect old = stable.nodes[i].rect();
        const bool apart = added.x + added.width <= old.x || old.x + old.width <= added.x
                           || added.y + added.height <= old.y || old.y + old.height <= added.y;
        QVERIFY2(apart, qPrintable(QString::number(i)));
    }
    // Kept arrows keep their path; every cluster holds its boxes.
    for (int i = 0; i < 5; ++i) {
        QCOMPARE(stable.edges[i].start, first->edges[i].start);
        QCOMPARE(stable.edges[i].end, first->edges[i].end);
    }
    for (const ClusterBox &cluster : stable.clusters)
        for (size_t i = 0; i < after.nodes.size(); ++i)
            if (after.nodes[i].cluster == cluster.name) {
                const LayoutRect box = stable.nodes[i].rect();
                QVERIFY(cluster.rect.contains({box.x, box.y})
                        && cluster.rect.contains({box.x + box.width, box.y + box.height}));
            }
    // A box whose cluster changed (a workload moved to another zone) is placed anew.
    LayoutInput moved = before;
    moved.nodes[4].cluster = "public";
    auto remade = layoutGraph(moved, {.engine = LayoutEngine::Dot});
    QVERIFY(remade);
    std::vector<std::string> sixKeys(keys.begin(), keys.begin() + 6);
    const GraphLayout afterMove = stabilizeLayout(*remade, moved, sixKeys, kept);
    for (int i : {0, 1, 2, 3, 5})
        QCOMPARE(afterMove.nodes[i].centre, first->nodes[i].centre);
}

void tst_GraphLevel::clusterArrowsKeepTheirRoute()
{
    // Two zones of three namespace boxes, one folded arrow from frame to frame (tied to each
    // cluster's first box in Graphviz), and a box-to-box arrow inside "public".
    LayoutInput before;
    std::vector<std::string> keys;
    for (int i = 0; i < 6; ++i) {
        before.nodes.push_back({80, 36, i < 3 ? "public" : "internal"});
        keys.push_back("n:" + std::to_string(i));
    }
    before.edges.push_back({0, 3, "public", "internal"});
    before.edges.push_back({1, 2});
    auto first = layoutGraph(before, {.engine = LayoutEngine::Dot});
    QVERIFY(first);
    const EdgePath &route = first->edges[0];
    QVERIFY(route.bezier.size() >= 4); // routed by dot, not a straight line
    const KeptLayout kept = keepLayout(before, keys, *first);

    // A design change: box 1's caption grows (a wider box, its cluster's frame too) and a new
    // namespace box appears first in "internal", so the folded arrow is tied to it now.
    LayoutInput after;
    std::vector<std::string> afterKeys;
    for (int i = 0; i < 3; ++i) {
        after.nodes.push_back({i == 1 ? 160.0 : 80.0, 36, "public"});
        afterKeys.push_back(keys[i]);
    }
    after.nodes.push_back({80, 36, "internal"});
    afterKeys.push_back("n:new");
    for (int i = 3; i < 6; ++i) {
        after.nodes.push_back({80, 36, "internal"});
        afterKeys.push_back(keys[i]);
    }
    after.edges.push_back({0, 3, "public", "internal"});
    after.edges.push_back({1, 2});
    auto fresh = layoutGraph(after, {.engine = LayoutEngine::Dot});
    QVERIFY(fresh);
    const GraphLayout stable = stabilizeLayout(*fresh, after, afterKeys, kept);
    for (int i = 0; i < 6; ++i) // (the kept boxes stay)
        QCOMPARE(stable.nodes[i < 3 ? i : i + 1].centre, first->nodes[i].centre);
    // The folded arrow keeps dot's route: the same curve inside, not a straight line.
    const EdgePath &kept0 = stable.edges[0];
    QCOMPARE(kept0.bezier.size(), route.bezier.size());
    for (size_t p = 1; p + 1 < route.bezier.size(); ++p)
        QCOMPARE(kept0.bezier[p], route.bezier[p]);
    // Its ends lie on the frames as drawn now.
    const auto onBorder = [](const LayoutPoint &point, const LayoutRect &r) {
        const auto near = [](double a, double b) { return std::abs(a - b) <= 1.0; };
        return r.contains(point, 1.0)
               && (near(point.x, r.x) || near(point.x, r.x + r.width) || near(point.y, r.y)
                   || near(point.y, r.y + r.height));
    };
    const auto frame = [&](const GraphLayout &layout, const std::string &name) {
        for (const ClusterBox &cluster : layout.clusters)
            if (cluster.name == name)
                return cluster.rect;
        return LayoutRect{};
    };
    // (dot ends an arrow at its head's tip, on the frame; the tail where the curve leaves it)
    QVERIFY(onBorder(route.end, frame(*first, "internal")));
    QVERIFY2(onBorder(kept0.end, frame(stable, "internal")),
             qPrintable(QStringLiteral("%1,%2").arg(kept0.end.x).arg(kept0.end.y)));
    if (onBorder(route.start, frame(*first, "public")))
        QVERIFY(onBorder(kept0.start, frame(stable, "public")));
}

void tst_GraphLevel::projectKeepsPositionsPerView()
{
    Project project;
    project.inventories = {"/p/inventory.yaml"};
    project.layout["namespaces"]["n:public/ns0"] = {120, 40};
    project.layout["namespaces"]["g:external addresses"] = {-8, 300};
    project.layout["focus@ns3/svc3/2"]["w:ns3/svc3"] = {0, 0};
    // (a group's view and box: spaces and an en dash in the keys)
    project.layout["workloads@public/ns0/svc0 – svc100"]["s:public/ns0/svc120 – svc240"] = {5, 6};
    const std::string yaml = projectToYaml(project, "/p");
    QVERIFY2(
        yaml.find("layout:\n  \"focus@ns3/svc3/2\":\n    \"w:ns3/svc3\": [0, 0]\n  \"namespaces\":")
            != std::string::npos,
        yaml.c_str());
    auto read = loadProjectText(yaml, "shop.bulkhead", "/p");
    QVERIFY_OK(read);
    QCOMPARE(read->layout, project.layout);
    QCOMPARE(projectToYaml(*read, "/p"), yaml);
    // A box that is not [x, y]: the file and line.
    auto bad = loadProjectText("formatVersion: 1\nlayout:\n  zones:\n    \"z:public\": [1]\n",
                               "bad.bulkhead", "/p");
    QVERIFY(!bad);
    QCOMPARE(bad.error().line, 4);
    QVERIFY2(bad.error().toString().find("[x, y]") != std::string::npos,
             bad.error().toString().c_str());
    // Kept positions from a project (no cluster, no size) put boxes back where they were.
    LayoutInput input;
    input.nodes = {{80, 36, "public"}, {80, 36, "public"}};
    input.edges = {{0, 1}};
    auto fresh = layoutGraph(input, {.engine = LayoutEngine::Dot});
    QVERIFY(fresh);
    KeptLayout kept;
    kept.boxes["a"] = {std::string(), {500, 400}, 0, 0};
    const GraphLayout stable = stabilizeLayout(*fresh, input, {"a", "b"}, kept);
    QCOMPARE(stable.nodes[0].centre, (LayoutPoint{500, 400}));
}

QTEST_GUILESS_MAIN(tst_GraphLevel)
#include "tst_graphlevel.moc"
