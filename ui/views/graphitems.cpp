#include "views/graphitems.h"

#include "views/graphitemstyle.h"

#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include <cmath>

namespace bulkhead::ui {

namespace {

using namespace itemstyle;

// A folded box's caption goes under its legible name; a workload's stays in its tooltip.
bool legibleCaption(const GraphNode &data)
{
    return data.isAggregate() && !data.caption.empty();
}

// Its first part ("250 workloads" of "250 workloads · 19 out, 19 in"): the rest is in the
// tooltip and at the full level of detail.
QString shortCaption(const QString &caption)
{
    const qsizetype dot = caption.indexOf(QStringLiteral(" · "));
    return dot < 0 ? caption : caption.left(dot);
}

} // namespace

NodeItem::NodeItem(int node, const GraphNode &data)
    : m_node(node)
    , m_data(data)
    , m_title(data.titleText())
    , m_caption(data.captionText())
    , m_fill(data.fill())
{
    // No hover events: the scene would look up the items under the pointer on every move, and
    // nothing here reacts to hovering (tooltips are the view's, QEvent::ToolTip).
    setFlag(ItemIsSelectable);
    setZValue(2);
}

void NodeItem::setLegibleScale(double scale)
{
    if (scale == m_legibleScale)
        return;
    prepareGeometryChange();
    m_legibleScale = scale;
    update();
}

void NodeItem::setLegibleCaption(bool on)
{
    if (on == m_legibleCaption)
        return;
    prepareGeometryChange();
    m_legibleCaption = on;
    update();
}

QRectF NodeItem::legibleBand(double scale) const
{
    const QFontMetricsF metrics(legibleFont(scale));
    double width = metrics.horizontalAdvance(m_title) + metrics.height() / 2;
    double height = metrics.height();
    if (m_legibleCaption && legibleCaption(m_data)) {
        const QFontMetricsF caption(legibleCaptionFont(scale));
        width = std::max(width,
                         caption.horizontalAdvance(shortCaption(m_caption)) + metrics.height() / 2);
        height += caption.height();
    }
    return {-width / 2, -height / 2, width, height};
}

QRectF NodeItem::boundingRect() const
{
    const QSizeF size = m_data.size;
    QRectF rect(-size.width() / 2 - 12, -size.height() / 2 - 12, size.width() + 24,
                size.height() + 24);
    if (m_legibleScale > 0) // (the band is widest at the smallest scale it is drawn at)
        rect = rect.united(legibleBand(m_legibleScale).adjusted(-1, -1, 1, 1));
    if (!m_badge.isEmpty() || !m_internet.isEmpty()) // the badges may stick out further
        rect.adjust(-60, -8, 60, 8);
    return rect;
}

namespace {

// A pill of text centred on `centre`: white text on `color`.
void drawPill(QPainter *painter, const QPointF &centre, const QString &text, const QColor &color)
{
    QFont font = QApplication::font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 0.85);
    const QFontMetricsF metrics(font);
    const QSizeF size(metrics.horizontalAdvance(text) + 10, metrics.height() + 2);
    const QRectF rect(centre - QPointF(size.width() / 2, size.height() / 2), size);
    painter->setPen(QPen(Qt::white, 1.2));
    painter->setBrush(color);
    painter->drawRoundedRect(rect, size.height() / 2, size.height() / 2);
    painter->setPen(Qt::white);
    painter->setFont(font);
    painter->drawText(rect, Qt::AlignCenter, text);
}

} // namespace

void NodeItem::setBadge(const QString &text, const QColor &color)
{
    if (text == m_badge && color == m_badgeColor)
        return;
    prepareGeometryChange();
    m_badge = text;
    m_badgeColor = color;
    update();
}

void NodeItem::setInternetTag(const QString &text)
{
    if (text == m_internet)
        return;
    prepareGeometryChange();
    m_internet = text;
    update();
}

void NodeItem::setData(const GraphNode &data)
{
    if (data.size != m_data.size)
        prepareGeometryChange();
    m_data = data;
    m_title = data.titleText();
    m_caption = data.captionText();
    m_fill = data.fill();
    update();
}

void NodeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    const QSizeF size = m_data.size;
    const QRectF box(-size.width() / 2, -size.height() / 2, size.width(), size.height());
    const bool external = m_data.isOutside();
    const QColor fill = m_heat.isValid() ? m_heat : m_fill;
    const double lod
        = QStyleOptionGraphicsItem::levelOfDetailFromTransform(painter->worldTransform());
    if (lod < DetailLod) {
        // Zoomed out: a plain box, outlined when selected or reached.
        painter->setRenderHint(QPainter::Antialiasing, false);
        if (isSelected())
            painter->setPen(
                QPen(QColor(0x10, 0x10, 0x10), 3, Qt::SolidLine, Qt::SquareCap, Qt::MiterJoin));
        else if (m_hops > 0)
            painter->setPen(QPen(QColor(0x20, 0x20, 0x20), 0));
        else
            painter->setPen(Qt::NoPen);
        painter->setBrush(external ? QColor(0xc8, 0xc8, 0xc8) : fill);
        painter->drawRect(box);
        if (m_data.isAggregate() && !external) { // a folded box: a second outline inside
            painter->setPen(QPen(textColorOn(fill), 0));
            painter->setBrush(Qt::NoBrush);
            painter->drawRect(box.adjusted(3, 3, -3, -3));
        }
        if (!m_badge.isEmpty()) { // a review badge: a corner in its colour
            painter->setPen(Qt::NoPen);
            painter->setBrush(m_badgeColor);
            painter->drawRect(QRectF(box.right() - box.width() / 3, box.bottom() - box.height() / 3,
                                     box.width() / 3, box.height() / 3));
        }
        if (m_legibleScale > 0 && lod >= m_legibleScale * 0.99) {
            // A few dozen boxes fitted small: the name at a readable size, centred on the box,
            // on a pale band where it is wider than the box (the caption is in the tooltip).
            const QFont font = legibleFont(lod);
            const QRectF band = legibleBand(lod);
            QColor ink = external ? rgb(palette::externalText) : textColorOn(fill);
            painter->setRenderHint(QPainter::Antialiasing);
            const bool twoLines = m_legibleCaption && legibleCaption(m_data);
            if (!external && (twoLines || band.width() > box.width())) {
                // The box grows to its name (and a folded box's count), in its own colour.
                painter->setPen(QPen(fill.darker(150), 0));
                painter->setBrush(fill);
                painter->drawRoundedRect(band.united(box), band.height() / 6, band.height() / 6);
            } else if (band.width() > box.width()) {
                painter->setPen(Qt::NoPen);
                painter->setBrush(QColor(255, 255, 255, 225));
                painter->drawRoundedRect(band, band.height() / 4, band.height() / 4);
                ink = QColor(0x20, 0x20, 0x20);
            }
            painter->setFont(font);
            painter->setPen(ink);
            if (!twoLines) {
                painter->drawText(band, Qt::AlignCenter, m_title);
            } else {
                const double titleHeight = QFontMetricsF(font).height();
                painter->drawText(QRectF(band.left(), band.top(), band.width(), titleHeight),
                                  Qt::AlignCenter, m_title);
                painter->setFont(legibleCaptionFont(lod));
                painter->drawText(QRectF(band.left(), band.top() + titleHeight, band.width(),
                                         band.height() - titleHeight),
                                  Qt::AlignCenter,
                                  shortCaption(m_heat.isValid() ? m_heatCaption : m_caption));
            }
        }
        return;
    }
    painter->setRenderHint(QPainter::Antialiasing);
    QPen pen(isSelected() ? QColor(0x10, 0x10, 0x10) : fill.darker(150), isSelected() ? 3 : 1.2);
    if (external)
        pen.setStyle(Qt::DashLine);
    painter->setPen(pen);
    painter->setBrush(external ? rgb(palette::externalFill) : fill);
    if (m_data.isAggregate()) {
        // A folded box (a zone, a namespace, a group of peers): drawn as a stack of cards.
        painter->drawRoundedRect(box.translated(4, 4), 8, 8);
    }
    if (m_heat.isValid()) {
        // Heat mode: the heat fill inside a band of the zone colour, so heat never reads as a zone.
        painter->drawRoundedRect(box, 8, 8);
        painter->setPen(Qt::NoPen);
        painter->setBrush(m_heat);
        painter->drawRoundedRect(box.adjusted(5, 5, -5, -5), 5, 5);
    } else {
        painter->drawRoundedRect(box, 8, 8);
    }

    QFont bold = QApplication::font();
    bold.setBold(true);
    const QColor text = external ? rgb(palette::externalText) : textColorOn(fill);
    painter->setPen(text);
    painter->setFont(bold);
    const QRectF titleRect(box.left(), box.top() + 5, box.width(), box.height() / 2 - 3);
    painter->drawText(titleRect, Qt::AlignHCenter | Qt::AlignBottom, m_title);
    painter->setFont(QApplication::font());
    const QRectF captionRect(box.left(), box.center().y() + 2, box.width(), box.height() / 2 - 7);
    const QString caption = QFontMetricsF(painter->font())
                                .elidedText(m_heat.isValid() ? m_heatCaption : m_caption,
                                            Qt::ElideRight, box.width() - 6);
    painter->drawText(captionRect, Qt::AlignHCenter | Qt::AlignTop, caption);

    if (m_hops > 0) {
        const QRectF badge(box.right() - 10, box.top() - 10, 22, 22);
        painter->setPen(QPen(Qt::white, 1.5));
        painter->setBrush(QColor(0x20, 0x20, 0x20));
        painter->drawEllipse(badge);
        painter->setFont(bold);
        painter->drawText(badge, Qt::AlignCenter, QString::number(m_hops));
    } else if (m_data.hops > 0 && m_hops < 0) {
        // Focus view: hops from the focused workload, in an outlined badge.
        const QRectF badge(box.left() - 10, box.top() - 10, 22, 22);
        painter->setPen(QPen(QColor(0x20, 0x20, 0x20), 1.5));
        painter->setBrush(Qt::white);
        painter->drawEllipse(badge);
        painter->setFont(bold);
        painter->drawText(badge, Qt::AlignCenter, QString::number(m_data.hops));
    }
    if (!m_badge.isEmpty())
        drawPill(painter, QPointF(box.right() - 10, box.bottom() + 2), m_badge, m_badgeColor);
    if (!m_internet.isEmpty())
        drawPill(painter, QPointF(box.center().x(), box.top() - 2), m_internet,
                 rgb(palette::internetExposure));
}

void NodeItem::setHops(int hops)
{
    if (hops != m_hops) {
        m_hops = hops;
        update();
    }
}

void NodeItem::setDimmed(bool dimmed)
{
    setOpacity(dimmed ? 0.25 : 1.0);
}

void NodeItem::setHeat(const QColor &color, const QString &caption)
{
    if (color == m_heat && caption == m_heatCaption)
        return;
    m_heat = color;
    m_heatCaption = caption;
    update();
}

ClusterItem::ClusterItem(const QString &name, const QRectF &rect, const QColor &color,
                         bool external)
    : m_name(name)
    , m_rect(rect)
    , m_color(color)
    , m_external(external)
{
    setZValue(0);
}

QRectF ClusterItem::legibleTab(double scale) const
{
    const QFontMetricsF metrics(legibleFont(scale));
    const double pad = metrics.height() / 4;
    return {m_rect.left() + 4, m_rect.top() - metrics.height() / 2,
            metrics.horizontalAdvance(m_name) + 2 * pad, metrics.height()};
}

QRectF ClusterItem::boundingRect() const
{
    // (a legible name's tab sticks out of the frame: as drawn at StraightLod at most)
    return m_legible ? m_rect.united(legibleTab(StraightLod)).adjusted(-1, -1, 1, 1)
                     : m_rect.adjusted(-1, -1, 1, 1);
}

void ClusterItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    painter->setRenderHint(QPainter::Antialiasing);
    QColor fill = m_color;
    fill.setAlpha(28);
    QPen pen(m_color.darker(120), 1.2);
    if (m_external)
        pen.setStyle(Qt::DashLine);
    painter->setPen(pen);
    painter->setBrush(fill);
    painter->drawRoundedRect(m_rect, 10, 10);
    QFont font = QApplication::font();
    font.setBold(true);
    const double lod
        = QStyleOptionGraphicsItem::levelOfDetailFromTransform(painter->worldTransform());
    if (m_legible && lod > 0 && lod < DetailLod) {
        // Fitted small: the name across the top border on a pale tab (the room inside the frame
        // above its first box is a few pixels high then).
        const QRectF tab = legibleTab(lod);
        painter->setPen(QPen(m_color.darker(120), 0));
        painter->setBrush(QColor(255, 255, 255, 235));
        painter->drawRoundedRect(tab, tab.height() / 4, tab.height() / 4);
        painter->setFont(legibleFont(lod));
        painter->setPen(m_color.darker(160));
        painter->drawText(tab, Qt::AlignCenter, m_name);
        return;
    }
    painter->setFont(font);
    painter->setPen(m_color.darker(160));
    painter->drawText(m_rect.adjusted(10, 4, -10, -4), Qt::AlignLeft | Qt::AlignTop, m_name);
}

FenceItem::FenceItem(const QString &label, const QPainterPath &outline)
    : m_label(label)
    , m_outline(outline)
{
    setZValue(0.5); // above the clusters, under the arrows and boxes
    QFont font = QApplication::font();
    font.setBold(true);
    const QFontMetricsF metrics(font);
    const QRectF bounds = m_outline.boundingRect();
    m_labelRect = QRectF(bounds.left() + 8, bounds.top() - metrics.height() - 4,
                         metrics.horizontalAdvance(m_label) + 12, metrics.height() + 4);
}

QRectF FenceItem::boundingRect() const
{
    return m_outline.boundingRect().united(m_labelRect).adjusted(-3, -3, 3, 3);
}

void FenceItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    painter->setRenderHint(QPainter::Antialiasing);
    const QColor color = rgb(palette::guardrailFence);
    QPen pen(color, 2.5, Qt::DashDotLine);
    painter->setPen(pen);
    QColor fill = color;
    fill.setAlpha(18);
    painter->setBrush(fill);
    painter->drawPath(m_outline);
    if (QStyleOptionGraphicsItem::levelOfDetailFromTransform(painter->worldTransform())
        < StraightLod)
        return;
    painter->setPen(QPen(color, 1));
    painter->setBrush(QColor(255, 255, 255, 235));
    painter->drawRoundedRect(m_labelRect, 3, 3);
    QFont font = QApplication::font();
    font.setBold(true);
    painter->setFont(font);
    painter->setPen(color.darker(130));
    painter->drawText(m_labelRect, Qt::AlignCenter, m_label);
}

} // namespace bulkhead::ui
