#pragma once

namespace bulkhead::ui {

// Which policy set the blast radius view assumes (core/review/blastradius.h computes it).
enum class RadiusPolicy {
    NoPolicy, // the baseline: every pod reaches every pod
    Design,   // the intent: what the design's policies allow
    Loaded,   // the cluster's policies open in the Review panel (every tier)
};

} // namespace bulkhead::ui
