// EdgeItem: an arrow of the graph (declared in views/graphitems.h).

#include "views/graphitems.h"

#include "views/graphitemstyle.h"

#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace bulkhead::ui {

using namespace itemstyle;

namespace {

// A head 10 units long with its point at `tip`, its barbs towards `toward`; none where the two
// points coincide.
QPolygonF arrowHead(const QPointF &tip, const QPointF &toward)
{
    QLineF direction(tip, toward);
    if (direction.length() <= 0)
        return {};
    direction.setLength(10);
    QLineF left = direction;
    left.setAngle(direction.angle() + 22);
    QLineF right = direction;
    right.setAngle(direction.angle() - 22);
    return QPolygonF{tip, left.p2(), right.p2()};
}

} // namespace

EdgeItem::EdgeItem(int edge, const GraphEdge &data, const EdgePath &path)
    : m_edge(edge)
    , m_data(data)
{
    setFlag(ItemIsSelectable); // click an arrow to list its flows
    setZValue(1);
    m_path.moveTo(toQt(path.start));
    if (!path.bezier.empty()) {
        m_path.lineTo(toQt(path.bezier.front()));
        for (size_t i = 1; i + 2 < path.bezier.size(); i += 3)
            m_path.cubicTo(toQt(path.bezier[i]), toQt(path.bezier[i + 1]),
                           toQt(path.bezier[i + 2]));
    }
    // The arrowhead: from the last drawn point to the end point on the target's border.
    const QPointF tip = toQt(path.end);
    QPointF from = m_path.currentPosition();
    if (QLineF(from, tip).length() < 1)
        from = m_path.pointAtPercent(0.9);
    m_path.lineTo(tip);
    m_arrow = arrowHead(tip, from);
    if (data.bothWays) // and a head at the start
        m_tailArrow = arrowHead(toQt(path.start), m_path.pointAtPercent(0.1));
    m_start = toQt(path.start);
    m_end = tip;
    m_labelCentre = toQt(path.midpoint());
    updateLabel();
}

void EdgeItem::updateLabel()
{
    // A folded arrow of many ports says how many pairs and ports (its tooltip lists them).
    m_label = QString::fromStdString(m_data.label())
              + (m_data.denied    ? QStringLiteral(" denied")
                 : m_data.blocked ? QStringLiteral(" blocked")
                                  : QString())
              + (m_mark == Mark::Break          ? QStringLiteral(" · break")
                 : m_mark == Mark::NewlyBlocked ? QStringLiteral(" · newly blocked")
                 : m_mark == Mark::NewlyAllowed ? QStringLiteral(" · newly allowed")
                                                : QString());
    // One metrics object for every arrow (making one per arrow costs a font lookup each).
    static const QFont appFont = QApplication::font();
    static const QFontMetricsF appMetrics(appFont);
    const QFontMetricsF metrics
        = QApplication::font() == appFont ? appMetrics : QFontMetricsF(QApplication::font());
    const QSizeF labelSize(metrics.horizontalAdvance(m_label) + 8, metrics.height() + 2);
    m_labelRect
        = QRectF(m_labelCentre - QPointF(labelSize.width() / 2, labelSize.height() / 2), labelSize);
}

void EdgeItem::setLabelCentre(const QPointF &centre)
{
    if (centre == m_labelCentre)
        return;
    prepareGeometryChange();
    m_labelCentre = centre;
    m_labelRect.moveCenter(centre);
}

void EdgeItem::setLegibleScale(double scale)
{
    if (scale == m_legibleScale)
        return;
    prepareGeometryChange();
    m_legibleScale = scale;
    update();
}

void EdgeItem::setLegibleLabel(bool on)
{
    if (on != m_legibleLabel) {
        m_legibleLabel = on;
        update();
    }
}

QRectF EdgeItem::legibleLabelRect(double scale) const
{
    const QFontMetricsF metrics(legibleCaptionFont(scale));
    const QSizeF size(metrics.horizontalAdvance(m_label) + metrics.height() / 2,
                      metrics.height() + 2 / scale);
    return {m_labelCentre - QPointF(size.width() / 2, size.height() / 2), size};
}

void EdgeItem::setData(const GraphEdge &data)
{
    const bool sameLook = data.ports == m_data.ports && data.arrows == m_data.arrows
                          && data.denied == m_data.denied && data.blocked == m_data.blocked
                          && data.added == m_data.added && data.allowed == m_data.allowed
                          && data.zoneRule == m_data.zoneRule;
    m_data = data;
    if (sameLook)
        return;
    prepareGeometryChange(); // the label's width may change
    updateLabel();
    update();
}

QRectF EdgeItem::boundingRect() const
{
    QRectF rect = m_path.boundingRect()
                      .united(m_arrow.boundingRect())
                      .united(m_tailArrow.boundingRect())
                      .united(m_labelRect);
    if (m_legibleScale > 0) { // (label and heads are largest at the smallest scale drawn at)
        const double grow = 10 / m_legibleScale;
        rect = rect.united(legibleLabelRect(m_legibleScale))
                   .united(QRectF(m_end, m_end).adjusted(-grow, -grow, grow, grow))
                   .united(QRectF(m_start, m_start).adjusted(-grow, -grow, grow, grow));
    }
    return rect.adjusted(-3, -3, 3, 3);
}

QPainterPath EdgeItem::shape() const
{
    // Stroked once (hit tests and context menus ask again and again); the label may move.
    if (m_shape.isEmpty() || m_shapeLabelRect != m_labelRect) {
        QPainterPathStroker stroker;
        stroker.setWidth(14); // a generous hit area: an arrow is easy to click
        m_shape = stroker.createStroke(m_path);
        m_shape.addRect(m_labelRect);
        m_shapeLabelRect = m_labelRect;
    }
    return m_shape;
}

void EdgeItem::setMark(Mark mark)
{
    if (mark == m_mark)
        return;
    prepareGeometryChange();
    m_mark = mark;
    updateLabel();
    update();
}

void EdgeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    QColor color = rgb(palette::edgeObserved);
    if (m_mark == Mark::Break)
        color = rgb(palette::edgeBreak);
    else if (m_mark == Mark::NewlyBlocked)
        color = rgb(palette::edgeNewlyBlocked);
    else if (m_mark == Mark::NewlyAllowed)
        color = rgb(palette::edgeNewlyAllowed);
    else if (m_data.blocked)
        color = rgb(palette::edgeBlocked);
    else if (m_data.denied)
        color = rgb(palette::edgeDenied);
    else if (!m_data.zoneRule.empty())
        color = rgb(palette::edgeFlagged);
    else if (m_data.added)
        color = rgb(palette::edgeAdded);
    const double lod
        = QStyleOptionGraphicsItem::levelOfDetailFromTransform(painter->worldTransform());
    if (lod < StraightLod && opacity() < 0.5)
        return; // the whole graph with a selection: its dimmed arrows would only be a grey fog
    if (lod < DetailLod) {
        // Zoomed out: a one-pixel line (darker when lit), no label, no head.
        painter->setRenderHint(QPainter::Antialiasing, false);
        painter->setPen(QPen(m_highlighted ? color.darker(140) : color, 0));
        painter->setBrush(Qt::NoBrush);
        if (lod < StraightLod)
            painter->drawLine(m_start, m_end);
        else
            painter->drawPath(m_path);
        if (m_legibleScale > 0 && lod >= m_legibleScale * 0.99)
            paintLegible(painter, color, lod);
        return;
    }
    painter->setRenderHint(QPainter::Antialiasing);
    // A cosmetic pen of at most one pixel takes the raster engine's fast stroker, which clips
    // and dashes in device space: a long arrow crossing a zoomed-in view costs its visible part.
    // Lit arrows are darker, not wider: a wider pen leaves the fast stroker, and with every
    // other arrow dimmed the lit ones stand out anyway.
    QPen pen(m_highlighted ? color.darker(170) : color, 1);
    pen.setCosmetic(true);
    if (isSelected()) { // the selected arrow: three pixels wide (the slow stroker, for one arrow)
        pen.setWidthF(3);
        pen.setColor(color.darker(140));
    } else if (m_mark != Mark::None) { // a review mark: two and a half pixels (few arrows)
        pen.setWidthF(2.5);
    }
    if (m_data.blocked || m_data.denied || m_mark == Mark::Break || m_mark == Mark::NewlyBlocked)
        pen.setStyle(Qt::DashLine);
    painter->setPen(pen);
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(m_path);
    painter->setPen(QPen(pen.color(), 1));
    painter->setBrush(pen.color());
    painter->drawPolygon(m_arrow);
    if (!m_tailArrow.isEmpty())
        painter->drawPolygon(m_tailArrow);

    painter->setPen(QPen(rgb(palette::labelBorder), 0.8));
    QColor labelFill = rgb(palette::labelFill);
    labelFill.setAlpha(palette::labelFillAlpha);
    painter->setBrush(labelFill);
    painter->drawRoundedRect(m_labelRect, 3, 3);
    painter->setPen(color.darker(120));
    painter->setFont(QApplication::font());
    painter->drawText(m_labelRect, Qt::AlignCenter, m_label);
}

// A few arrows fitted small: heads and label at a readable size on the screen.
void EdgeItem::paintLegible(QPainter *painter, const QColor &color, double lod) const
{
    painter->setRenderHint(QPainter::Antialiasing);
    const double grow = 0.8 / lod; // heads 8 pixels long (10 scene units at scale 1)
    painter->setPen(Qt::NoPen);
    painter->setBrush(color);
    for (const QPolygonF *head : {&m_arrow, &m_tailArrow}) {
        if (head->size() != 3)
            continue;
        const QPointF tip = head->at(0);
        painter->drawPolygon(
            QPolygonF{tip, tip + (head->at(1) - tip) * grow, tip + (head->at(2) - tip) * grow});
    }
    if (m_label.isEmpty() || !m_legibleLabel)
        return;
    const QRectF rect = legibleLabelRect(lod);
    painter->setPen(QPen(QColor(0xd0, 0xd0, 0xd0), 0));
    painter->setBrush(QColor(255, 255, 255, 230));
    painter->drawRoundedRect(rect, rect.height() / 4, rect.height() / 4);
    painter->setPen(color.darker(120));
    painter->setFont(legibleCaptionFont(lod));
    painter->drawText(rect, Qt::AlignCenter, m_label);
}

void EdgeItem::setHighlighted(bool highlighted)
{
    if (highlighted != m_highlighted) {
        m_highlighted = highlighted;
        update();
    }
}

} // namespace bulkhead::ui
