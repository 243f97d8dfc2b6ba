#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace bulkhead {
struct Zones;
}

namespace bulkhead::palette {

// The colours of the graph, shared by the desktop application's painter and `bulkhead-cli render`
// (0xRRGGBB). Zone colours come from the zones file; these are everything else. The heat scale
// (heatColor) runs from pale lavender to deep violet: no zone colour of the default levels is a
// violet, so a heat box is never read as a zone (docs/gui.md, "Legend").

constexpr uint32_t unknownZone = 0x888888;     // a zone the zones file does not name
constexpr uint32_t externalCluster = 0x808080; // the cluster outside the workloads
constexpr uint32_t namespaceCluster = 0x5a6a80;
constexpr uint32_t externalFill = 0xf4f4f4;
constexpr uint32_t externalBorder = 0xb0b0b0;
constexpr uint32_t externalText = 0x303030;

constexpr uint32_t edgeObserved = 0x555b66;     // allowed as observed
constexpr uint32_t edgeAdded = 0x2f6fde;        // added by hand
constexpr uint32_t edgeFlagged = 0xd08000;      // flagged by a zone rule
constexpr uint32_t edgeBlocked = 0xc02020;      // blocked by a zone rule (dashed)
constexpr uint32_t edgeDenied = 0x9a9aa0;       // denied by the user (dashed)
constexpr uint32_t edgeBreak = 0xc02080;        // observed, not allowed by the existing policies
constexpr uint32_t edgeExcess = 0x8a5a00;       // allowed by existing policies, never observed
constexpr uint32_t edgeNewlyBlocked = 0xe04000; // compare: allowed now, the design denies it
constexpr uint32_t edgeNewlyAllowed = 0x1a9a4a; // compare: denied now, the design allows it
constexpr uint32_t guardrailFence = 0x7a1fa0;   // the subject of a cluster-scoped policy
constexpr uint32_t edgeLit = 0x10306a;          // on the selected workload's blast radius
constexpr uint32_t internetExposure = 0x1050a0; // heat mode: the "internet" pill of a box

constexpr uint32_t background = 0xfbfbfc;
constexpr uint32_t labelBorder = 0xd0d0d0;
constexpr uint32_t labelFill = 0xffffff;
constexpr int labelFillAlpha = 230; // of 255: the arrow shows faintly under its label

constexpr uint32_t darkText = 0x202020;
constexpr uint32_t lightText = 0xffffff;
// The text on a box of this fill: dark on light fills, white on dark ones (luminance 0.299 R +
// 0.587 G + 0.114 B over 150 of 255).
uint32_t textOn(uint32_t fill);

// The heat scale: share 0 (reaches nothing) to 1 (reaches every workload), pale to deep violet.
uint32_t heatColor(double share);

// "#rrggbb"
std::string hex(uint32_t rgb);

// A zone's colour: the zones file's ("#rrggbb" as written there), or unknownZone for a zone it
// does not name.
std::string zoneColor(const Zones &zones, std::string_view zone);

} // namespace bulkhead::palette
