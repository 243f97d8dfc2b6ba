#include "layout/graphlayout.h"
#include "testsupport.h"

#include <QtTest>

#include <random>

using namespace bulkhead;

namespace {

// A layered, network-like graph: `clusters` tiers of workloads; most edges go one tier up,
// some stay in the tier, a few skip; plus `externals` nodes outside every cluster.
LayoutInput networkGraph(int nodeCount, int clusterCount, int edgesPerNode, unsigned seed)
{
    std::mt19937 random(seed);
    LayoutInput input;
    for (int i = 0; i < nodeCount; ++i) {
        LayoutNode node;
        node.width = 60 + static_cast<double>(random() % 80);
        node.height = 30 + static_cast<double>(random() % 20);
        if (i % 17 != 16) // every 17th node is an external, outside the clusters
            node.cluster = "zone-" + std::to_string(i % clusterCount);
        input.nodes.push_back(node);
    }
    for (int i = 0; i < nodeCount; ++i) {
        for (int k = 0; k < edgesPerNode; ++k) {
            const int tier = i % clusterCount;
            const int targetTier = (random() % 4 == 0) ? tier : (tier + 1) % clusterCount;
            int target = static_cast<int>(random() % (nodeCount / clusterCount)) * clusterCount
                         + targetTier;
            if (target >= nodeCount)
                target = targetTier;
            input.edges.push_back({i, target});
        }
    }
    return input;
}

double distanceToRect(const LayoutRect &r, LayoutPoint p)
{
    const double dx = std::max({r.x - p.x, 0.0, p.x - (r.x + r.width)});
    const double dy = std::max({r.y - p.y, 0.0, p.y - (r.y + r.height)});
    return std::hypot(dx, dy);
}

// On the border of r, within tolerance: not farther outside, not deeper inside.
bool onBorder(const LayoutRect &r, LayoutPoint p, double tolerance)
{
    if (distanceToRect(r, p) > tolerance)
        return false;
    const double inside
        = std::min({p.x - r.x, r.x + r.width - p.x, p.y - r.y, r.y + r.height - p.y});
    return inside <= tolerance;
}

} // namespace

class TestGraphLayout : public QObject
{
    Q_OBJECT

private slots:
    void layout_data()
    {
        QTest::addColumn<int>("nodes");
        QTest::addColumn<int>("clusters");
        QTest::addColumn<int>("edgesPerNode");
        QTest::addColumn<int>("engine");
        QTest::addColumn<int>("expectedEngine");

        const int autoEngine = int(LayoutEngine::Auto);
        const int dotEngine = int(LayoutEngine::Dot);
        const int sfdpEngine = int(LayoutEngine::Sfdp);
        QTest::newRow("dot 12 nodes, 3 clusters") << 12 << 3 << 2 << dotEngine << dotEngine;
        QTest::newRow("auto 200 nodes -> dot") << 200 << 10 << 2 << autoEngine << dotEngine;
        QTest::newRow("sfdp 200 nodes") << 200 << 10 << 2 << sfdpEngine << sfdpEngine;
        QTest::newRow("auto 600 nodes -> sfdp") << 600 << 8 << 2 << autoEngine << sfdpEngine;
        QTest::newRow("auto 2000 nodes, 6000 edges -> sfdp")
            << 2000 << 20 << 3 << autoEngine << sfdpEngine;
    }

    void layout()
    {
        QFETCH(int, nodes);
        QFETCH(int, clusters);
        QFETCH(int, edgesPerNode);
        QFETCH(int, engine);
        QFETCH(int, expectedEngine);

        const LayoutInput input = networkGraph(nodes, clusters, edgesPerNode, 42);
        LayoutOptions options;
        options.engine = LayoutEngine(engine);
        QElapsedTimer timer;
        timer.start();
        const auto layout = layoutGraph(input, options);
        QVERIFY_OK(layout);
        qInfo("%s: %d nodes, %zu edges laid out in %.3f s (Graphviz %.3f s)",
              layoutEngineName(layout->engine).data(), nodes, input.edges.size(),
              timer.elapsed() / 1000.0, layout->seconds);

        QCOMPARE(int(layout->engine), expectedEngine);
        QCOMPARE(layout->nodes.size(), input.nodes.size());
        QCOMPARE(layout->edges.size(), input.edges.size());
        QCOMPARE(layout->boundingBox.x, 0.0);
        QCOMPARE(layout->boundingBox.y, 0.0);

        // Every node inside the bounding box, at its requested size.
        for (size_t i = 0; i < layout->nodes.size(); ++i) {
            const LayoutRect r = layout->nodes[i].rect();
            QVERIFY2(layout->boundingBox.contains({r.x, r.y}, 1)
                         && layout->boundingBox.contains({r.x + r.width, r.y + r.height}, 1),
                     qPrintable(QString("node %1 outside the bounding box").arg(i)));
            QVERIFY(std::abs(r.width - input.nodes[i].width) < 1);
            QVERIFY(std::abs(r.height - input.nodes[i].height) < 1);
        }
        // No two node boxes overlap (1 pt of tolerance for rounding).
        for (size_t i = 0; i < layout->nodes.size(); ++i) {
            const LayoutRect a = layout->nodes[i].rect();
            for (size_t j = i + 1; j < layout->nodes.size(); ++j) {
                const LayoutRect b = layout->nodes[j].rect();
                const double ox = std::min(a.x + a.width, b.x + b.width) - std::max(a.x, b.x);
                const double oy = std::min(a.y + a.height, b.y + b.height) - std::max(a.y, b.y);
                QVERIFY2(ox <= 1 || oy <= 1,
                         qPrintable(QString("nodes %1 and %2 overlap").arg(i).arg(j)));
            }
        }
        // Every edge starts at the border of its source and ends at the border of its target.
        for (size_t i = 0; i < input.edges.size(); ++i) {
            const EdgePath &path = layout->edges[i];
            const LayoutRect from = layout->nodes[input.edges[i].from].rect();
            const LayoutRect to = layout->nodes[input.edges[i].to].rect();
            QVERIFY2(onBorder(from, path.start, 2.5),
                     qPrintable(QString("edge %1 starts at (%2, %3), not at its source")
                                    .arg(i)
                                    .arg(path.start.x)
                                    .arg(path.start.y)));
            QVERIFY2(onBorder(to, path.end, 2.5),
                     qPrintable(QString("edge %1 ends at (%2, %3), not at its target")
                                    .arg(i)
                                    .arg(path.end.x)
                                    .arg(path.end.y)));
            QVERIFY(path.bezier.empty() || path.bezier.size() % 3 == 1);
        }
        // dot: one box per cluster, holding its nodes; sfdp has none.
        if (layout->engine == LayoutEngine::Dot) {
            QCOMPARE(int(layout->clusters.size()), clusters);
            for (size_t i = 0; i < input.nodes.size(); ++i) {
                if (input.nodes[i].cluster.empty())
                    continue;
                auto box = std::find_if(
                    layout->clusters.begin(), layout->clusters.end(),
                    [&](const ClusterBox &c) { return c.name == input.nodes[i].cluster; });
                QVERIFY(box != layout->clusters.end());
                const LayoutRect r = layout->nodes[i].rect();
                QVERIFY(box->rect.contains({r.x, r.y}, 1));
                QVERIFY(box->rect.contains({r.x + r.width, r.y + r.height}, 1));
            }
        } else {
            QVERIFY(layout->clusters.empty());
        }
    }

    void emptyGraph()
    {
        const auto layout = layoutGraph({});
        QVERIFY(layout.has_value());
        QVERIFY(layout->nodes.empty());
        QCOMPARE(layout->boundingBox.width, 0.0);
    }

    void badEdgeIsAnError()
    {
        LayoutInput input;
        input.nodes.resize(2);
        input.edges.push_back({0, 2});
        const auto layout = layoutGraph(input);
        QVERIFY(!layout.has_value());
        QVERIFY(layout.error().message.find("does not exist") != std::string::npos);
    }

    void midpointOfStraightEdge()
    {
        EdgePath path;
        path.start = {0, 0};
        path.end = {10, 0};
        QCOMPARE(path.midpoint(), (LayoutPoint{5, 0}));
    }
};

QTEST_GUILESS_MAIN(TestGraphLayout)
#include "tst_graphlayout.moc"
