#pragma once

#define SGMM_VERSION_MAJOR 0
#define SGMM_VERSION_MINOR 1
#define SGMM_VERSION_PATCH 0
#define SGMM_VERSION "0.1.0"
