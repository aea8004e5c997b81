// Errors the types layer returns. They carry Redis's exact reply text as the message of an
// InvalidArgument status, so the command layer can send them unchanged.
#pragma once

#include <string_view>

#include "common/status.h"

namespace strata::types {

inline constexpr std::string_view kWrongTypeText =
    "WRONGTYPE Operation against a key holding the wrong kind of value";

inline Status WrongType() { return Status::InvalidArgument(kWrongTypeText); }

}  // namespace strata::types
