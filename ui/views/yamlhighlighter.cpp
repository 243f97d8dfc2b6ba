#include "views/yamlhighlighter.h"

#include <QRegularExpression>

namespace bulkhead::ui {

namespace {

QTextCharFormat charFormat(const QColor &color, bool bold = false, bool italic = false)
{
    QTextCharFormat f;
    f.setForeground(color);
    if (bold)
        f.setFontWeight(QFont::Bold);
    f.setFontItalic(italic);
    return f;
}

} // namespace

YamlHighlighter::YamlHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
{
}

void YamlHighlighter::highlightBlock(const QString &text)
{
    static const QRegularExpression key(
        QStringLiteral(R"(^(\s*(?:-\s+)?)([^\s#'"][^:#]*?):(?=\s|$))"));
    static const QRegularExpression dash(QStringLiteral(R"(^\s*-(?=\s|$))"));
    static const QRegularExpression quoted(QStringLiteral(R"('[^']*'|"(?:[^"\\]|\\.)*")"));
    static const QRegularExpression number(QStringLiteral(R"((?<=[:\-]\s)\d+(\.\d+)?\s*$)"));
    static const QTextCharFormat keyFormat = charFormat(QColor(0x1f, 0x4e, 0x9a), true);
    static const QTextCharFormat dashFormat = charFormat(QColor(0x80, 0x80, 0x80), true);
    static const QTextCharFormat stringFormat = charFormat(QColor(0x2e, 0x7d, 0x32));
    static const QTextCharFormat numberFormat = charFormat(QColor(0x8a, 0x3f, 0xb0));
    static const QTextCharFormat commentFormat = charFormat(QColor(0x70, 0x70, 0x70), false, true);
    static const QTextCharFormat separatorFormat = charFormat(QColor(0xa0, 0x40, 0x00), true);

    if (text.startsWith(QLatin1String("---")) || text.startsWith(QLatin1String("..."))) {
        setFormat(0, static_cast<int>(text.size()), separatorFormat);
        return;
    }
    if (auto m = dash.match(text); m.hasMatch())
        setFormat(static_cast<int>(m.capturedEnd() - 1), 1, dashFormat);
    if (auto m = key.match(text); m.hasMatch())
        setFormat(static_cast<int>(m.capturedStart(2)), static_cast<int>(m.capturedLength(2)),
                  keyFormat);
    for (auto it = quoted.globalMatch(text); it.hasNext();) {
        const auto m = it.next();
        setFormat(static_cast<int>(m.capturedStart()), static_cast<int>(m.capturedLength()),
                  stringFormat);
    }
    if (auto m = number.match(text); m.hasMatch())
        setFormat(static_cast<int>(m.capturedStart()), static_cast<int>(m.capturedLength()),
                  numberFormat);
    // A comment: '#' at the start or after a space, outside quotes (good enough for our output).
    for (int i = 0; i < text.size(); ++i)
        if (text[i] == QLatin1Char('#') && (i == 0 || text[i - 1].isSpace())) {
            setFormat(i, static_cast<int>(text.size()) - i, commentFormat);
            break;
        }
}

} // namespace bulkhead::ui
