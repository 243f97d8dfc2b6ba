#include "graph/palette.h"

#include "zones/zones.h"

#include <algorithm>
#include <cstdio>

namespace bulkhead::palette {

uint32_t heatColor(double share)
{
    // Linear in RGB between three stops: #efe6fa (pale lavender), #9b6dd6, #3b0f70 (deep violet).
    struct Stop
    {
        double r, g, b;
    };
    constexpr Stop stops[3] = {{0xef, 0xe6, 0xfa}, {0x9b, 0x6d, 0xd6}, {0x3b, 0x0f, 0x70}};
    const double t = std::clamp(share, 0.0, 1.0) * 2;
    const int i = std::min(1, static_cast<int>(t));
    const double f = t - i;
    const auto mix
        = [&](double a, double b) { return static_cast<uint32_t>(a + (b - a) * f + 0.5); };
    return mix(stops[i].r, stops[i + 1].r) << 16 | mix(stops[i].g, stops[i + 1].g) << 8
           | mix(stops[i].b, stops[i + 1].b);
}

uint32_t textOn(uint32_t fill)
{
    const double luminance
        = 0.299 * (fill >> 16 & 0xff) + 0.587 * (fill >> 8 & 0xff) + 0.114 * (fill & 0xff);
    return luminance > 150 ? darkText : lightText;
}

std::string hex(uint32_t rgb)
{
    char text[8];
    std::snprintf(text, sizeof text, "#%06x", rgb & 0xffffff);
    return text;
}

std::string zoneColor(const Zones &zones, std::string_view zone)
{
    const ZoneLevel *level = zones.level(zone);
    return level ? level->color : hex(unknownZone);
}

} // namespace bulkhead::palette
