// gridLayout: every box inside its cluster, no two boxes overlapping, clusters apart, arrows from
// border to border, deterministic.
#include "layout/gridlayout.h"

#include <QtTest>

using namespace bulkhead;

namespace {

LayoutInput grid(int nodes, int clusters)
{
    LayoutInput input;
    for (int i = 0; i < nodes; ++i)
        input.nodes.push_back(
            {60.0 + i % 7 * 10, 30.0 + i % 3 * 5,
             i % 11 == 10 ? std::string() : "zone-" + std::to_string(i % clusters)});
    for (int i = 0; i < nodes; ++i)
        input.edges.push_back({i, (i * 7 + 3) % nodes});
    return input;
}

bool overlap(const LayoutRect &a, const LayoutRect &b)
{
    return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height
           && b.y < a.y + a.height;
}

bool onBorder(const LayoutRect &r, LayoutPoint p)
{
    const double e = 1e-6;
    const bool inside = r.contains(p, e);
    const bool edge = std::abs(p.x - r.x) < e || std::abs(p.x - r.x - r.width) < e
                      || std::abs(p.y - r.y) < e || std::abs(p.y - r.y - r.height) < e;
    return inside && edge;
}

} // namespace

class TestGridLayout : public QObject
{
    Q_OBJECT

private slots:
    void placesEveryBoxInsideItsCluster_data()
    {
        QTest::addColumn<int>("nodes");
        QTest::addColumn<int>("clusters");
        QTest::newRow("one box") << 1 << 1;
        QTest::newRow("small") << 40 << 3;
        QTest::newRow("5000 in 4 zones") << 5000 << 4;
    }

    void placesEveryBoxInsideItsCluster()
    {
        QFETCH(int, nodes);
        QFETCH(int, clusters);
        const LayoutInput input = grid(nodes, clusters);
        const GraphLayout layout = gridLayout(input);
        QCOMPARE(layout.engine, LayoutEngine::Grid);
        QCOMPARE(layout.nodes.size(), input.nodes.size());
        QCOMPARE(layout.edges.size(), input.edges.size());
        // Named clusters only, sorted by name; the unclustered boxes sit in no cluster box.
        std::map<std::string, LayoutRect> boxes;
        for (const ClusterBox &box : layout.clusters)
            boxes[box.name] = box.rect;
        QCOMPARE(boxes.size(), size_t(std::min(nodes, clusters)));
        QVERIFY(std::is_sorted(layout.clusters.begin(), layout.clusters.end(),
                               [](const auto &a, const auto &b) { return a.name < b.name; }));
        for (auto a = boxes.begin(); a != boxes.end(); ++a)
            for (auto b = std::next(a); b != boxes.end(); ++b)
                QVERIFY(!overlap(a->second, b->second));
        for (size_t i = 0; i < input.nodes.size(); ++i) {
            const NodePlacement &p = layout.nodes[i];
            QCOMPARE(p.width, input.nodes[i].width);
            QCOMPARE(p.height, input.nodes[i].height);
            const LayoutRect r = p.rect();
            QVERIFY(layout.boundingBox.contains({r.x, r.y})
                    && layout.boundingBox.contains({r.x + r.width, r.y + r.height}));
            if (!input.nodes[i].cluster.empty()) {
                const LayoutRect &c = boxes.at(input.nodes[i].cluster);
                QVERIFY(c.contains({r.x, r.y}) && c.contains({r.x + r.width, r.y + r.height}));
            }
        }
        // No two boxes overlap (neighbours in a grid are the closest ones: check them all for
        // the small cases, a sample of pairs for the large one).
        const size_t step = nodes > 100 ? 37 : 1;
        for (size_t i = 0; i < layout.nodes.size(); i += step)
            for (size_t j = i + 1; j < layout.nodes.size(); ++j)
                QVERIFY(!overlap(layout.nodes[i].rect(), layout.nodes[j].rect()));
        for (size_t e = 0; e < input.edges.size(); ++e) {
            if (input.edges[e].from == input.edges[e].to)
                continue;
            QVERIFY(onBorder(layout.nodes[input.edges[e].from].rect(), layout.edges[e].start));
            QVERIFY(onBorder(layout.nodes[input.edges[e].to].rect(), layout.edges[e].end));
            QVERIFY(layout.edges[e].bezier.empty());
        }
        // Deterministic.
        const GraphLayout again = gridLayout(input);
        for (size_t i = 0; i < layout.nodes.size(); ++i)
            QCOMPARE(again.nodes[i].centre, layout.nodes[i].centre);
    }

    void anEmptyGraphHasAnEmptyLayout()
    {
        const GraphLayout layout = gridLayout({});
        QVERIFY(layout.nodes.empty());
        QVERIFY(layout.clusters.empty());
        QCOMPARE(layout.boundingBox.width, 0.0);
    }
};

QTEST_GUILESS_MAIN(TestGridLayout)
#include "tst_gridlayout.moc"
