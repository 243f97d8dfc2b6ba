// The graph as a file (bulkhead-cli render): what the graph holds for the Online Boutique sample,
// and SVG, PNG and DOT outputs read back by independent readers (Qt's XML and PNG readers,
// Graphviz's own DOT parser).
#include "design/intent.h"
#include "graph/graphmodel.h"
#include "model/buildmodel.h"
#include "render/graphrender.h"
#include "testsupport.h"

#include <QImage>
#include <QXmlStreamReader>
#include <QtTest>

#include <graphviz/cgraph.h>

#include <algorithm>
#include <cmath>
#include <mutex>

using namespace bulkhead;

Q_DECLARE_METATYPE(std::optional<bulkhead::RenderFormat>)

namespace {

const std::string kSample = BULKHEAD_SOURCE_DIR "/samples/online-boutique/";

Model sampleModel()
{
    PipelineInputs inputs;
    inputs.inventories = {kSample + "inventory.yaml"};
    inputs.captures = {kSample + "node1.pcapng", kSample + "node2.pcap"};
    inputs.zonesFile = kSample + "zones.yaml";
    auto model = buildModel(inputs);
    if (!model)
        qFatal("sample: %s", model.error().toString().c_str());
    return std::move(*model);
}

int nodeNamed(const GraphModel &graph, const std::string &title)
{
    for (size_t i = 0; i < graph.nodes.size(); ++i)
        if (graph.nodes[i].title == title)
            return static_cast<int>(i);
    return -1;
}

const GraphModelEdge *arrow(const GraphModel &graph, const std::string &from, const std::string &to)
{
    const int a = nodeNamed(graph, from), b = nodeNamed(graph, to);
    for (const GraphModelEdge &edge : graph.edges)
        if (edge.from == a && edge.to == b)
            return &edge;
    return nullptr;
}

// A two-box graph whose texts need escaping in XML and in DOT.
GraphModel awkwardGraph()
{
    GraphModel graph;
    graph.nodes.push_back({Peer::workload(0), "a<b & \"c\"", "public", "public", "#3fa34d"});
    graph.nodes.push_back({Peer::workload(1), "back\\slash", "internal", "internal", "#2f6fde"});
    GraphModelEdge edge;
    edge.from = 0;
    edge.to = 1;
    edge.ports = {"TCP/80", "UDP/53"};
    edge.allowed = true;
    graph.edges.push_back(edge);
    return graph;
}

} // namespace

class tst_GraphRender : public QObject
{
    Q_OBJECT

private slots:
    void formatFromFileName_data();
    void formatFromFileName();
    void sampleGraph();
    void deniedArrow();
    void svgOfTheSample();
    void svgEscapesText();
    void pngOfTheSample();
    void pngScaledDownWhenHuge();
    void dotReadsBackInGraphviz();
};

void tst_GraphRender::formatFromFileName_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<std::optional<RenderFormat>>("format");
    QTest::newRow("svg") << "graph.svg" << std::optional(RenderFormat::Svg);
    QTest::newRow("PNG in capitals") << "out/GRAPH.PNG" << std::optional(RenderFormat::Png);
    QTest::newRow("dot") << "g.dot" << std::optional(RenderFormat::Dot);
    QTest::newRow("gv") << "g.gv" << std::optional(RenderFormat::Dot);
    QTest::newRow("pdf") << "g.pdf" << std::optional<RenderFormat>();
    QTest::newRow("no extension") << "graph" << std::optional<RenderFormat>();
    QTest::newRow("dot in a folder name only") << "out.svg/graph" << std::optional<RenderFormat>();
}

void tst_GraphRender::formatFromFileName()
{
    QFETCH(QString, path);
    QFETCH(std::optional<RenderFormat>, format);
    QCOMPARE(renderFormatForFile(path.toStdString()), format);
}

void tst_GraphRender::sampleGraph()
{
    const Model model = sampleModel();
    const Intent intent = computeIntent(model.inventory, model.zones, model.analysis, Decisions{});
    const GraphModel graph = buildGraphModel(model, intent);

    // 13 workloads, two external clients (IPv4 and IPv6); 23 arrows between boxes.
    QCOMPARE(graph.nodes.size(), size_t(15));
    QCOMPARE(graph.edges.size(), size_t(23));
    QCOMPARE(std::count_if(
                 graph.nodes.begin(), graph.nodes.end(),
                 [](const GraphModelNode &n) { return n.cluster == GraphModel::externalCluster; }),
             2);
    const int frontend = nodeNamed(graph, "frontend");
    QVERIFY(frontend >= 0);
    QCOMPARE(graph.nodes[size_t(frontend)].cluster, std::string("public"));
    QCOMPARE(graph.nodes[size_t(frontend)].color, std::string("#3fa34d"));
    const int external = nodeNamed(graph, "203.0.113.50");
    QVERIFY(external >= 0);
    QCOMPARE(graph.nodes[size_t(external)].caption, std::string("external"));

    // frontend -> checkoutservice climbs two levels: flagged by the sample's zone rule, still
    // allowed.
    const GraphModelEdge *checkout = arrow(graph, "frontend", "checkoutservice");
    QVERIFY(checkout);
    QCOMPARE(checkout->ports, std::vector<std::string>{"TCP/5050"});
    QVERIFY(checkout->allowed);
    QVERIFY(!checkout->zoneRule.empty());
    QVERIFY(!checkout->blocked);
    const GraphModelEdge *redis = arrow(graph, "cartservice", "redis-cart");
    QVERIFY(redis);
    QCOMPARE(redis->ports, std::vector<std::string>{"TCP/6379"});
    QVERIFY(redis->allowed && redis->zoneRule.empty());
}

void tst_GraphRender::deniedArrow()
{
    const Model model = sampleModel();
    Decisions decisions;
    decisions.denied.push_back(
        {"boutique/cartservice", "boutique/redis-cart", Protocol::TCP, 6379});
    const Intent intent = computeIntent(model.inventory, model.zones, model.analysis, decisions);
    QVERIFY2(intent.warnings.empty(),
             intent.warnings.empty() ? "" : intent.warnings.front().c_str());
    const GraphModel graph = buildGraphModel(model, intent);
    const GraphModelEdge *redis = arrow(graph, "cartservice", "redis-cart");
    QVERIFY(redis);
    QVERIFY(redis->denied);
    QVERIFY(!redis->allowed);
    QCOMPARE(graph.edges.size(), size_t(23)); // still drawn, as denied
}

void tst_GraphRender::svgOfTheSample()
{
    const Model model = sampleModel();
    const Intent intent = computeIntent(model.inventory, model.zones, model.analysis, Decisions{});
    const GraphModel graph = buildGraphModel(model, intent);
    auto rendered = renderGraph(graph, RenderFormat::Svg);
    QVERIFY_OK(rendered);

    QXmlStreamReader xml(QByteArray::fromStdString(rendered->bytes));
    QStringList texts;
    int rects = 0, paths = 0, arrowheads = 0;
    QString width;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == u"svg")
            width = xml.attributes().value("width").toString();
        else if (xml.name() == u"rect")
            ++rects;
        else if (xml.name() == u"path")
            ++paths;
        else if (xml.name() == u"polygon")
            ++arrowheads;
        else if (xml.name() == u"text")
            texts << xml.readElementText();
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    // The canvas is the layout plus a 16-point margin on each side.
    QCOMPARE(width, QString::number(rendered->layout.boundingBox.width + 32, 'f', 2) + "pt");
    QCOMPARE(paths, 23);
    QCOMPARE(arrowheads, 23);
    // Background + 5 clusters (4 zones, the externals) + 15 boxes + 23 port labels.
    QCOMPARE(rendered->layout.clusters.size(), size_t(5));
    QCOMPARE(rects, 1 + 5 + 15 + 23);
    for (const char *expected : {"checkoutservice", "redis-cart", "203.0.113.50", "2001:db8::50",
                                 "TCP/5050", "restricted", "outside the workloads"})
        QVERIFY2(texts.contains(QString::fromUtf8(expected)), expected);
}

void tst_GraphRender::svgEscapesText()
{
    auto rendered = renderGraph(awkwardGraph(), RenderFormat::Svg);
    QVERIFY(rendered);
    QXmlStreamReader xml(QByteArray::fromStdString(rendered->bytes));
    QStringList texts;
    while (!xml.atEnd()) {
        if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == u"text")
            texts << xml.readElementText();
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY(texts.contains("a<b & \"c\""));
    QVERIFY(texts.contains("back\\slash"));
    QVERIFY(texts.contains("TCP/80, UDP/53"));
}

void tst_GraphRender::pngOfTheSample()
{
    const Model model = sampleModel();
    const Intent intent = computeIntent(model.inventory, model.zones, model.analysis, Decisions{});
    const GraphModel graph = buildGraphModel(model, intent);
    auto rendered = renderGraph(graph, RenderFormat::Png);
    QVERIFY_OK(rendered);
    QCOMPARE(rendered->pngScale, 2.0);

    QImage image;
    QVERIFY(image.loadFromData(QByteArray::fromStdString(rendered->bytes), "PNG"));
    const LayoutRect &bb = rendered->layout.boundingBox;
    QCOMPARE(image.width(), int(std::ceil((bb.width + 32) * 2)));
    QCOMPARE(image.height(), int(std::ceil((bb.height + 32) * 2)));
    // The middle of a box, between its two lines of text, has its zone's colour; the corner of the
    // canvas is white.
    const auto pixelAt = [&](const LayoutPoint &p) {
        return image.pixelColor(int((p.x + 16) * 2), int((p.y + 16) * 2)).name();
    };
    const int frontend = nodeNamed(graph, "frontend");
    const int redis = nodeNamed(graph, "redis-cart");
    QCOMPARE(pixelAt(rendered->layout.nodes[size_t(frontend)].centre), QString("#3fa34d"));
    QCOMPARE(pixelAt(rendered->layout.nodes[size_t(redis)].centre), QString("#d63a3a"));
    QCOMPARE(image.pixelColor(0, 0).name(), QString("#ffffff"));
}

void tst_GraphRender::pngScaledDownWhenHuge()
{
    RenderOptions options;
    options.pngMaxPixels = 200;
    auto rendered = renderGraph(awkwardGraph(), RenderFormat::Png, options);
    QVERIFY(rendered);
    QVERIFY(rendered->pngScale < 2);
    QImage image;
    QVERIFY(image.loadFromData(QByteArray::fromStdString(rendered->bytes), "PNG"));
    QCOMPARE(std::max(image.width(), image.height()), 200);
}

void tst_GraphRender::dotReadsBackInGraphviz()
{
    const Model model = sampleModel();
    const Intent intent = computeIntent(model.inventory, model.zones, model.analysis, Decisions{});
    const GraphModel graph = buildGraphModel(model, intent);
    auto rendered = renderGraph(graph, RenderFormat::Dot);
    QVERIFY_OK(rendered);

    auto awkward = renderGraph(awkwardGraph(), RenderFormat::Dot);
    QVERIFY(awkward);

    std::lock_guard lock(graphvizMutex());
    Agraph_t *g = agmemread(rendered->bytes.c_str());
    QVERIFY(g);
    QCOMPARE(agnnodes(g), 15);
    QCOMPARE(agnedges(g), 23);
    // Positions are Graphviz's: points, y up.
    const int frontend = nodeNamed(graph, "frontend");
    const std::string name = "n" + std::to_string(frontend);
    Agnode_t *n = agnode(g, const_cast<char *>(name.c_str()), 0);
    QVERIFY(n);
    QCOMPARE(QString(agget(n, const_cast<char *>("label"))), QString("frontend\\npublic"));
    const NodePlacement &place = rendered->layout.nodes[size_t(frontend)];
    const QString expectedPos
        = QString::number(place.centre.x, 'f', 2) + ','
          + QString::number(rendered->layout.boundingBox.height - place.centre.y, 'f', 2);
    QCOMPARE(QString(agget(n, const_cast<char *>("pos"))), expectedPos);
    agclose(g);

    Agraph_t *a = agmemread(awkward->bytes.c_str());
    QVERIFY(a);
    Agnode_t *first = agnode(a, const_cast<char *>("n0"), 0);
    QVERIFY(first);
    QCOMPARE(QString(agget(first, const_cast<char *>("label"))), QString("a<b & \"c\"\\npublic"));
    agclose(a);
}

QTEST_GUILESS_MAIN(tst_GraphRender)
#include "tst_graphrender.moc"
