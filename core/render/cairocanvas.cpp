// The Cairo backend: the drawing in pixels, encoded as PNG.

#include "render/canvas.h"

#include <algorithm>
#include <memory>

namespace bulkhead::render {

namespace {

class CairoCanvas : public Canvas
{
public:
    explicit CairoCanvas(cairo_t *cr)
        : m_cr(cr)
    {
    }

    void roundedRect(const LayoutRect &rect, double radius, const Pen &pen,
                     const Color &fill) override
    {
        const double r = std::min({radius, rect.width / 2, rect.height / 2});
        const double x = rect.x, y = rect.y, w = rect.width, h = rect.height;
        cairo_new_sub_path(m_cr);
        cairo_arc(m_cr, x + w - r, y + r, r, -M_PI / 2, 0);
        cairo_arc(m_cr, x + w - r, y + h - r, r, 0, M_PI / 2);
        cairo_arc(m_cr, x + r, y + h - r, r, M_PI / 2, M_PI);
        cairo_arc(m_cr, x + r, y + r, r, M_PI, 3 * M_PI / 2);
        cairo_close_path(m_cr);
        setColor(fill);
        cairo_fill_preserve(m_cr);
        stroke(pen);
    }
    void path(const EdgePath &path, const Pen &pen) override
    {
        cairo_move_to(m_cr, path.start.x, path.start.y);
        if (!path.bezier.empty()) {
            cairo_line_to(m_cr, path.bezier[0].x, path.bezier[0].y);
            for (size_t i = 1; i + 2 < path.bezier.size(); i += 3)
                cairo_curve_to(m_cr, path.bezier[i].x, path.bezier[i].y, path.bezier[i + 1].x,
                               path.bezier[i + 1].y, path.bezier[i + 2].x, path.bezier[i + 2].y);
        }
        cairo_line_to(m_cr, path.end.x, path.end.y);
        stroke(pen);
    }
    void triangle(const LayoutPoint (&points)[3], const Color &fill) override
    {
        cairo_move_to(m_cr, points[0].x, points[0].y);
        cairo_line_to(m_cr, points[1].x, points[1].y);
        cairo_line_to(m_cr, points[2].x, points[2].y);
        cairo_close_path(m_cr);
        setColor(fill);
        cairo_fill(m_cr);
    }
    void text(const std::string &text, double x, double y, double size, bool bold, Align align,
              const Color &color) override
    {
        cairo_select_font_face(m_cr, kFontFamily, CAIRO_FONT_SLANT_NORMAL,
                               bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
        cairo_set_font_size(m_cr, size);
        if (align == Align::Centre) {
            cairo_text_extents_t extents;
            cairo_text_extents(m_cr, text.c_str(), &extents);
            x -= extents.x_advance / 2;
        }
        cairo_move_to(m_cr, x, y);
        setColor(color);
        cairo_show_text(m_cr, text.c_str());
        cairo_new_path(m_cr);
    }

private:
    void setColor(const Color &c) { cairo_set_source_rgba(m_cr, c.r, c.g, c.b, c.a); }
    void stroke(const Pen &pen)
    {
        setColor(pen.color);
        cairo_set_line_width(m_cr, pen.width);
        const double dashes[] = {5, 3};
        cairo_set_dash(m_cr, dashes, pen.dashed ? 2 : 0, 0);
        cairo_stroke(m_cr);
    }

    cairo_t *m_cr;
};

cairo_status_t appendToString(void *closure, const unsigned char *data, unsigned int length)
{
    static_cast<std::string *>(closure)->append(reinterpret_cast<const char *>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

} // namespace

Expected<std::string> drawPng(const GraphModel &graph, const Measured &m, const GraphLayout &layout,
                              double scale)
{
    // (less a rounding error, so that a scale made to fit gives exactly the size it aimed at)
    const int width
        = std::max(1, int(std::ceil((layout.boundingBox.width + 2 * kMargin) * scale - 1e-6)));
    const int height
        = std::max(1, int(std::ceil((layout.boundingBox.height + 2 * kMargin) * scale - 1e-6)));
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
    std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> owner(surface,
                                                                             cairo_surface_destroy);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS)
        return fail("cairo could not make a " + std::to_string(width) + "x" + std::to_string(height)
                    + " image: " + cairo_status_to_string(cairo_surface_status(surface)));
    cairo_t *cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    cairo_translate(cr, kMargin, kMargin);
    CairoCanvas canvas(cr);
    draw(canvas, graph, m, layout);
    const cairo_status_t drawn = cairo_status(cr);
    cairo_destroy(cr);
    if (drawn != CAIRO_STATUS_SUCCESS)
        return fail(std::string("cairo could not draw the graph: ")
                    + cairo_status_to_string(drawn));
    std::string png;
    const cairo_status_t written = cairo_surface_write_to_png_stream(surface, appendToString, &png);
    if (written != CAIRO_STATUS_SUCCESS)
        return fail(std::string("cairo could not encode the PNG: ")
                    + cairo_status_to_string(written));
    return png;
}
} // namespace bulkhead::render
