#pragma once

#include <QSyntaxHighlighter>

namespace bulkhead::ui {

// Plain YAML colouring for the policy pane: keys, comments, list dashes, quoted strings and
// numbers, document separators. Line by line; no YAML parsing.
class YamlHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT

public:
    explicit YamlHighlighter(QTextDocument *document);

protected:
    void highlightBlock(const QString &text) override;
};

} // namespace bulkhead::ui
