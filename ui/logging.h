#pragma once

#include <QLoggingCategory>

// The application library's one logging category ("bulkhead.ui"): load, design and layout
// timings.
Q_DECLARE_LOGGING_CATEGORY(lcUi)
