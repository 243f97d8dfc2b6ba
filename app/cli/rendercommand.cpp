#include "commands.h"
#include "output.h"

#include "design/intent.h"
#include "graph/graphmodel.h"
#include "render/graphrender.h"

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

namespace bulkhead::cli {
namespace {

struct RenderCommand
{
    InputOptions input;
    std::string output;
    std::string clusters = "zone";
    std::string engine = "auto";
    int run() const;
};

int RenderCommand::run() const
{
    const auto format = renderFormatForFile(output);
    if (!format) {
        std::cerr << "bulkhead-cli: --output " << output
                  << ": the file name must end in .svg, .png or .dot (the format follows the extension)\n";
        return ExitBadInput;
    }
    if (auto paths = checkOutputPaths({output}, allInputs(input)); !paths)
        return reportError(paths.error());

    auto model = loadModel(input, true);
    if (!model)
        return reportError(model.error());
    const Intent intent = computeIntent(model->inventory, model->zones, model->analysis, Decisions{});
    const GraphModel graph = buildGraphModel(*model, intent,
                                             clusters == "namespace" ? GraphClusters::Namespace : GraphClusters::Zone);
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
    std::cerr << "bulkhead-cli: " << output << ": " << graph.nodes.size() << " boxes, " << graph.edges.size()
              << " arrows, laid out by " << layoutEngineName(rendered->layout.engine) << " in "
              << static_cast<int>(rendered->layout.seconds * 1000 + 0.5) << " ms";
    if (*format == RenderFormat::Png && rendered->pngScale < options.pngScale)
        std::cerr << " (scaled to " << rendered->pngScale << " pixels per point to stay within "
                  << options.pngMaxPixels << " pixels)";
    std::cerr << '\n';
    return ExitOk;
}

} // namespace

void registerRenderCommand(CLI::App &app, int &exitCode)
{
    auto command = std::make_shared<RenderCommand>();
    CLI::App *c = app.add_subcommand("render", "Draw the graph of workloads and flows as SVG, PNG or Graphviz DOT");
    addInputOptions(c, command->input, true);
    c->add_option("--zones", command->input.zones, "Zones file (levels, label key, rules)")->check(CLI::ExistingFile);
    c->add_option("--output,-o", command->output, "graph.svg, graph.png or graph.dot (the format follows the extension)")
        ->required();
    c->add_option("--clusters", command->clusters, "Group the boxes by zone or by namespace")
        ->check(CLI::IsMember({"zone", "namespace"}))
        ->capture_default_str();
    c->add_option("--engine", command->engine,
                  "Layout: auto (as the desktop application: Graphviz dot up to 300 boxes, sfdp up to 2,500, "
                  "cluster grids above), dot, sfdp or grid")
        ->check(CLI::IsMember({"auto", "dot", "sfdp", "grid"}))
        ->capture_default_str();
    c->callback([command, &exitCode] { exitCode = command->run(); });
}

} // namespace bulkhead::cli
