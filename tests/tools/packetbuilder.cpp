#include "packetbuilder.h"
