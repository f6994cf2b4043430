// selftalk: finds the voice of the inner critic in self-talk and answers it with a friend's
// voice. This umbrella header includes the whole public API.
#ifndef SELFTALK_SELFTALK_H
#define SELFTALK_SELFTALK_H

#include "selftalk/analyzer.h"
#include "selftalk/category.h"
#include "selftalk/error.h"
#include "selftalk/examples.h"
#include "selftalk/json.h"
#include "selftalk/offsets.h"
#include "selftalk/pack.h"
#include "selftalk/person.h"
#include "selftalk/ruleset.h"
#include "selftalk/stream.h"
#include "selftalk/version.h"

#endif  // SELFTALK_SELFTALK_H
