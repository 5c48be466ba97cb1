#ifndef JINA_CLIBYAML_SHIM_H
#define JINA_CLIBYAML_SHIM_H
#include <yaml.h>
#endif
