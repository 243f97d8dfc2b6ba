#pragma once

// Drawing helpers shared by the graph's items (graphitems.cpp: boxes, clusters, fences;
// edgeitem.cpp: arrows). Internal to ui/views.

#include "graph/palette.h"
#include "views/graphitems.h"

#include <QApplication>
#include <QColor>
#include <QFont>
#include <QPointF>

#include <algorithm>

namespace bulkhead::ui::itemstyle {

inline QPointF toQt(const LayoutPoint &p)
{
    return {p.x, p.y};
}

inline QColor rgb(uint32_t value)
{
    return QColor::fromRgb(value);
}

inline QColor textColorOn(const QColor &fill)
{
    return rgb(palette::textOn(fill.rgb() & 0xffffff));
}

// The bold font at LegibleTitlePixels on the screen under the scale `lod`.
inline QFont legibleFont(double lod)
{
    QFont font = QApplication::font();
    font.setBold(true);
    font.setPixelSize(std::max(1, qRound(LegibleTitlePixels / lod)));
    return font;
}

// The regular font at LegibleCaptionPixels on the screen under the scale `lod`.
inline QFont legibleCaptionFont(double lod)
{
    QFont font = QApplication::font();
    font.setPixelSize(std::max(1, qRound(LegibleCaptionPixels / lod)));
    return font;
}

} // namespace bulkhead::ui::itemstyle
