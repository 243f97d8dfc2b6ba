#include "capturewriter.h"
