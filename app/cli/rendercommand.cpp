#include "commands.h"
#include "output.h"

#include "design/intent.h"
#include "graph/graphlevel.h"
#include "graph/graphmodel.h"
#include "model/model.h"
#include "render/graphrender.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>

namespace bulkhead::cli {
namespace {

struct RenderCommand
{
    InputOptions input;
    std::string output;
    std::string clusters = "zone";
    std::string engine = "auto";
    std::string level = "auto";
    std::string focus;
    std::string open; // ZONE[/NAMESPACE[/GROUP]]
    int hops = 1;
    int run() const;
};

// The view --open asks for, as double-clicking opens it in the application: a zone's
// namespaces, a namespace's workloads (a big namespace's groups), a group's workloads. Nothing,
// with a message, when the zone, namespace or group is not in the model.
std::optional<LevelView> openedView(const std::string &path, const GraphModel &graph,
                                    const Model &model)
{
    LevelView view;
    view.level = GraphLevel::Namespaces;
    const size_t slash = path.find('/');
    view.zone = path.substr(0, slash);
    if (slash != std::string::npos) {
        const size_t second = path.find('/', slash + 1);
        view.level = GraphLevel::Workloads;
        view.ns = path.substr(slash + 1, second - slash - 1);
        if (second != std::string::npos)
            view.group = path.substr(second + 1);
    }
    bool zone = false, ns = false;
    for (const Workload &w : model.inventory.workloads) {
        zone = zone || w.zone == view.zone;
        ns = ns || (w.zone == view.zone && w.ns == view.ns);
    }
    if (!zone || (!view.ns.empty() && !ns)) {
        std::cerr << "bulkhead-cli: --open " << path << ": no "
                  << (zone ? "namespace " + view.ns + " in zone " + view.zone
                           : "zone " + view.zone + " with workloads")
                  << " in the model\n";
        return std::nullopt;
    }
    if (!view.group.empty()) {
        LevelView folded = view;
        folded.group.clear();
        const GraphModel groups = buildLevelGraph(graph, model, folded);
        const bool known = std::any_of(groups.nodes.begin(), groups.nodes.end(), [&](auto &box) {
            return box.kind == BoxKind::Group && box.title == view.group;
        });
        if (!known) {
            std::cerr << "bulkhead-cli: --open " << path << ": namespace " << view.ns
                      << " has no group " << view.group << " (only a namespace of more than "
                      << kGroupLimit << " workloads opens on groups)\n";
            return std::nullopt;
        }
    }
    return view;
}

int RenderCommand::run() const
{
    const auto format = renderFormatForFile(output);
    if (!format) {
        std::cerr << "bulkhead-cli: --output " << output
                  << ": the file name must end in .svg, .png or .dot (the format follows the "
                     "extension)\n";
        return ExitBadInput;
    }
    if (!focus.empty() && level != "auto" && level != "focus") {
        std::cerr << "bulkhead-cli: --focus shows the focus level; --level " << level
                  << " contradicts it\n";
        return ExitBadInput;
    }
    if (!open.empty() && (!focus.empty() || level != "auto")) {
        std::cerr << "bulkhead-cli: --open shows the view inside a zone, namespace or group; "
                  << (focus.empty() ? "--level " + level : std::string("--focus"))
                  << " contradicts it\n";
        return ExitBadInput;
    }
    if (focus.empty() && level == "focus") {
        std::cerr << "bulkhead-cli: --level focus needs --focus NAMESPACE/NAME\n";
        return ExitBadInput;
    }
    if (auto paths = checkOutputPaths({output}, allInputs(input)); !paths)
        return reportError(paths.error());

    auto model = loadModel(input, true);
    if (!model)
        return reportError(model.error());
    const Intent intent
        = computeIntent(model->inventory, model->zones, model->analysis, Decisions{});
    GraphModel graph = buildGraphModel(
        *model, intent, clusters == "namespace" ? GraphClusters::Namespace : GraphClusters::Zone);
    // Levels (docs/gui.md): the whole workload graph is the workloads level as it always was.
    LevelView view;
    if (!focus.empty()) {
        view.level = GraphLevel::Focus;
        view.hops = hops;
        for (size_t i = 0; i < model->inventory.workloads.size() && view.focus < 0; ++i)
            if (model->inventory.workloads[i].id() == focus)
                view.focus = static_cast<int>(i);
        if (view.focus < 0) {
            std::cerr << "bulkhead-cli: --focus " << focus
                      << ": no such workload in the inventory (write it as NAMESPACE/NAME)\n";
            return ExitBadInput;
        }
    } else if (!open.empty()) {
        if (auto opened = openedView(open, graph, *model); opened)
            view = *opened;
        else
            return ExitBadInput;
    } else {
        view.level = level == "auto" ? autoLevel(graph, *model) : *graphLevelFromName(level);
    }
    if (view.level != GraphLevel::Workloads || !view.zone.empty()) {
        GraphModel zoned = clusters == "namespace"
                               ? buildGraphModel(*model, intent, GraphClusters::Zone)
                               : GraphModel{};
        graph = buildLevelGraph(clusters == "namespace" ? zoned : graph, *model, view);
    }
    RenderOptions options;
    options.layout.engine = engine == "dot"    ? LayoutEngine::Dot
                            : engine == "sfdp" ? LayoutEngine::Sfdp
                            : engine == "grid" ? LayoutEngine::Grid
                                               : LayoutEngine::Auto;
    auto rendered = renderGraph(graph, *format, options);
    if (!rendered) {
        Error error = rendered.error();
        error.file = output;
        return reportError(error);
    }
    if (auto written = writeOutput(output, rendered->bytes, allInputs(input)); !written)
        return reportError(written.error());

    printWarnings(model->warnings);
    printWarnings(intent.warnings);
    std::cerr << "bulkhead-cli: " << output << ": " << graph.nodes.size() << " boxes, "
              << graph.edges.size() << " arrows, laid out by "
              << layoutEngineName(rendered->layout.engine) << " in "
              << static_cast<int>(rendered->layout.seconds * 1000 + 0.5) << " ms";
    if (*format == RenderFormat::Png && rendered->pngScale < options.pngScale)
        std::cerr << " (scaled to " << rendered->pngScale << " pixels per point to stay within "
                  << options.pngMaxPixels << " pixels)";
    std::cerr << ", at the " << graphLevelName(view.level) << " level\n";
    return ExitOk;
}

} // namespace

void registerRenderCommand(CLI::App &app, int &exitCode)
{
    auto command = std::make_shared<RenderCommand>();
    CLI::App *c = app.add_subcommand(
        "render", "Draw the graph of workloads and flows as SVG, PNG or Graphviz DOT");
    addInputOptions(c, command->input, true);
    c->add_option("--zones", command->input.zones, "Zones file (levels, label key, rules)")
        ->check(CLI::ExistingFile);
    c->add_option("--output,-o", command->output,
                  "graph.svg, graph.png or graph.dot (the format follows the extension)")
        ->required();
    c->add_option("--clusters", command->clusters, "Group the boxes by zone or by namespace")
        ->check(CLI::IsMember({"zone", "namespace"}))
        ->capture_default_str();
    c->add_option("--engine", command->engine,
                  "Layout: auto (as the desktop application: Graphviz dot up to 300 boxes, sfdp up "
                  "to 2,500, "
                  "cluster grids above), dot, sfdp or grid")
        ->check(CLI::IsMember({"auto", "dot", "sfdp", "grid"}))
        ->capture_default_str();
    c->add_option("--level", command->level,
                  "Level of detail: auto (the most detailed level with at most 300 boxes), zones, "
                  "namespaces, "
                  "workloads, or focus (with --focus)")
        ->check(CLI::IsMember({"auto", "zones", "namespaces", "workloads", "focus"}))
        ->capture_default_str();
    c->add_option("--focus", command->focus,
                  "Show one workload (NAMESPACE/NAME) and everything within --hops of it");
    c->add_option("--open", command->open,
                  "Draw the view inside ZONE, ZONE/NAMESPACE or (a namespace of more than 60 "
                  "workloads) ZONE/NAMESPACE/GROUP, as double-clicking opens it in the "
                  "application");
    c->add_option("--hops", command->hops, "How far the focus view reaches, both directions")
        ->check(CLI::Range(1, 50))
        ->capture_default_str();
    c->callback([command, &exitCode] { exitCode = command->run(); });
}

} // namespace bulkhead::cli
