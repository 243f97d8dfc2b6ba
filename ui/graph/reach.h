#pragma once

namespace bulkhead::ui {

// Which reach graph the blast radius view uses: the policies it assumes
// (core/review/blastradius.h computes it).
enum class ReachBasis {
    NoPolicy, // the baseline: every pod reaches every pod
    Design,   // the intent: what the design's policies allow
    Loaded,   // the cluster's policies open in the Review panel (every tier)
};

} // namespace bulkhead::ui
