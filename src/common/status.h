// Status is part of the public API (include/strata/status.h); modules include it from here.
#pragma once

#include "strata/status.h"
