// Blast radius at scale (docs/semantics.md "Blast radius"; README "Performance"): every workload's
// radius on synthetic graphs of 3,000 workloads and 30,000 edges. Prints figures; never fails.
//
//   bulkhead-blastradiusbench [workloads] [edges]
#include "analysis/edge.h"
#include "inventory/inventory.h"
#include "review/blastradius.h"
#include "review/reviewjson.h"
#include "zones/zones.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>

using namespace bulkhead;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Processor time of this process: on a shared machine, wall-clock time also counts the waits.
double cpuSeconds()
{
    return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

Inventory makeInventory(int workloads, const Zones &zones)
{
    Inventory inventory;
    inventory.workloads.reserve(static_cast<size_t>(workloads));
    for (int i = 0; i < workloads; ++i) {
        Workload w;
        w.ns = "ns" + std::to_string(i / 100);
        w.name = "w" + std::to_string(i);
        w.kind = "Deployment";
        w.zone = zones.levels[static_cast<size_t>(i) % zones.levels.size()].name;
        inventory.workloads.push_back(std::move(w));
    }
    return inventory;
}

// Random: any workload may call any other (the graph is strongly connected at 10 edges per
// workload: every radius is nearly everything, the worst case). Layered: a call goes to a
// workload of a later tier only, as in a microservice call graph (front ends, services, stores).
std::vector<Edge> makeEdges(int workloads, int edges, bool layered, std::mt19937 &random)
{
    std::uniform_int_distribution<int> any(0, workloads - 1);
    std::vector<Edge> out;
    out.reserve(static_cast<size_t>(edges));
    while (static_cast<int>(out.size()) < edges) {
        int from = any(random);
        int to = any(random);
        if (from == to)
            continue;
        if (layered) {
            if (from > to)
                std::swap(from, to);
            if (to - from > workloads / 20) // short calls only: tiers of about 5%
                continue;
        }
        Edge e;
        e.from = Peer::workload(from);
        e.to = Peer::workload(to);
        e.port = static_cast<uint16_t>(8000 + out.size() % 50);
        out.push_back(std::move(e));
    }
    return out;
}

void run(const char *label, const Inventory &inventory, const Zones &zones, const ReachGraph &graph,
         double buildSeconds)
{
    // One at a time, each radius consumed and dropped: what a command printing figures or a heat
    // map does.
    size_t reached = 0;
    size_t paths = 0;
    auto start = Clock::now();
    const double cpuStart = cpuSeconds();
    forEachBlastRadius(inventory, zones, graph, [&](BlastRadius &&r) {
        reached += r.reach.size();
        paths += r.paths.size();
    });
    const double streamed = secondsSince(start);
    const double streamedCpu = cpuSeconds() - cpuStart;
    if (std::getenv("BULKHEAD_BENCH_STREAM_ONLY")) { // for profiling the computation alone
        std::printf("%-9s every radius one at a time %6.3f s (cpu %6.3f s)\n", label, streamed,
                    streamedCpu);
        return;
    }

    // Every radius kept in memory at once.
    start = Clock::now();
    const std::vector<BlastRadius> radii = computeBlastRadii(inventory, zones, graph);
    const double kept = secondsSince(start);

    start = Clock::now();
    size_t jsonBytes = 0;
    for (const BlastRadius &r : radii)
        jsonBytes += blastRadiusJson(inventory, r).dump().size();
    const double jsonSeconds = secondsSince(start);
    const double n = static_cast<double>(radii.size());
    std::printf("%-9s graph %6.3f s | every radius: one at a time %6.3f s (cpu %6.3f s, %5.0f us "
                "each), all kept %6.3f s"
                " | mean reach %6.1f of %zu, %zu paths | JSON %6.3f s, %.0f MB\n",
                label, buildSeconds, streamed, streamedCpu, streamed * 1e6 / n, kept,
                static_cast<double>(reached) / n, inventory.workloads.size() - 1, paths,
                jsonSeconds, static_cast<double>(jsonBytes) / 1e6);
}

} // namespace

int main(int argc, char **argv)
{
    const int workloads = argc > 1 ? std::atoi(argv[1]) : 3000;
    const int edges = argc > 2 ? std::atoi(argv[2]) : 30000;
    if (workloads < 2 || edges < 0) {
        std::fprintf(stderr, "usage: bulkhead-blastradiusbench [workloads >= 2] [edges]\n");
        return 2;
    }
    const Zones zones = defaultZones();
    const Inventory inventory = makeInventory(workloads, zones);
    std::printf("%d workloads, %d edges\n", workloads, edges);

    for (bool layered : {false, true}) {
        std::mt19937 random(20261102);
        const std::vector<Edge> list = makeEdges(workloads, edges, layered, random);
        const auto start = Clock::now();
        const ReachGraph graph = reachFromEdges(inventory, list);
        run(layered ? "layered" : "random", inventory, zones, graph, secondsSince(start));
    }
    const auto start = Clock::now();
    const ReachGraph none = reachWithoutPolicy(inventory);
    run("no policy", inventory, zones, none, secondsSince(start));
    return 0;
}
