// The DOT writer: Graphviz's own language with the layout in it.

#include "render/canvas.h"

#include "layout/graphvizids.h"

#include <graphviz/cgraph.h>

#include <map>
#include <memory>
#include <mutex>

namespace bulkhead::render {

// Graphviz's own language, with the layout in it (pos in points, y up; width/height in
// inches), so `neato -n2 -Tsvg` redraws it as laid out. Written by cgraph, which quotes.
Expected<std::string> writeDot(const GraphModel &graph, const Measured &m,
                               const GraphLayout &layout)
{
    std::lock_guard lock(graphvizMutex());
    Agdesc_t directed = Agdirected;
    Agraph_t *g = agopen(const_cast<char *>("bulkhead"), directed, creationOrderDiscipline());
    if (!g)
        return fail("Graphviz could not make a graph");
    std::unique_ptr<Agraph_t, decltype(&agclose)> owner(g, agclose);
    const double top = layout.boundingBox.height;
    const auto set = [](void *object, const char *name, const std::string &value) {
        char empty[] = "";
        agsafeset(object, const_cast<char *>(name), const_cast<char *>(value.c_str()), empty);
    };
    set(g, "bb", "0,0," + number(layout.boundingBox.width) + ',' + number(top));
    // The clusters in the layout's order, which cgraph keeps (creationOrderDiscipline).
    std::map<std::string, Agraph_t *> subgraphs;
    for (size_t c = 0; c < layout.clusters.size(); ++c) {
        const ClusterBox &cluster = layout.clusters[c];
        const std::string name = "cluster_" + std::to_string(c);
        Agraph_t *sub = agsubg(g, const_cast<char *>(name.c_str()), 1);
        set(sub, "label", cluster.name);
        set(sub, "bb",
            number(cluster.rect.x) + ',' + number(top - cluster.rect.y - cluster.rect.height) + ','
                + number(cluster.rect.x + cluster.rect.width) + ',' + number(top - cluster.rect.y));
        set(sub, "color", clusterColor(graph, cluster.name).hex());
        subgraphs[cluster.name] = sub;
    }
    std::vector<Agnode_t *> nodes;
    for (size_t i = 0; i < graph.nodes.size(); ++i) {
        const GraphModelNode &node = graph.nodes[i];
        const NodePlacement &place = layout.nodes[i];
        const std::string name = "n" + std::to_string(i);
        auto sub = subgraphs.find(node.cluster);
        Agnode_t *n
            = agnode(sub != subgraphs.end() ? sub->second : g, const_cast<char *>(name.c_str()), 1);
        set(n, "label", node.title + "\\n" + node.caption);
        set(n, "shape", "box");
        set(n, "style",
            node.kind == BoxKind::Peer || node.kind == BoxKind::PeerGroup ? "rounded,dashed"
                                                                          : "rounded,filled");
        set(n, "bulkhead_key", node.key);
        set(n, "fillcolor", node.color);
        set(n, "pos", number(place.centre.x) + ',' + number(top - place.centre.y));
        set(n, "width", number(place.width / 72));
        set(n, "height", number(place.height / 72));
        nodes.push_back(n);
    }
    for (size_t i = 0; i < graph.edges.size(); ++i) {
        const GraphModelEdge &edge = graph.edges[i];
        Agedge_t *e = agedge(g, nodes[size_t(edge.from)], nodes[size_t(edge.to)], nullptr, 1);
        set(e, "label", m.edgeLabels[i]);
        set(e, "color", edgeColor(edge).hex());
        // An arrow of a whole cluster: from (to) the cluster's frame, named by its label.
        if (!edge.tailCluster.empty())
            set(e, "bulkhead_from_cluster", edge.tailCluster);
        if (!edge.headCluster.empty())
            set(e, "bulkhead_to_cluster", edge.headCluster);
        if (edge.blocked || edge.denied)
            set(e, "style", "dashed");
        const EdgePath &path = layout.edges[i];
        const auto gv = [&](const LayoutPoint &p) { return number(p.x) + ',' + number(top - p.y); };
        std::string pos = "e," + gv(path.end);
        if (!path.bezier.empty()) {
            for (const LayoutPoint &p : path.bezier)
                pos += ' ' + gv(p);
        } else {
            // A straight line as one cubic segment.
            pos += ' ' + gv(path.start) + ' ' + gv(path.start) + ' ' + gv(path.end) + ' '
                   + gv(path.end);
        }
        set(e, "pos", pos);
    }
    char *buffer = nullptr;
    size_t size = 0;
    FILE *stream = open_memstream(&buffer, &size);
    if (!stream)
        return fail("could not write the DOT text");
    const int rc = agwrite(g, stream);
    std::fclose(stream);
    std::string text(buffer ? buffer : "", size);
    std::free(buffer);
    if (rc != 0)
        return fail("Graphviz could not write the DOT text");
    return text;
}
} // namespace bulkhead::render
