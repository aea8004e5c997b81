// Number parsing and formatting with Redis's exact acceptance rules, so that a value Redis
// refuses with "ERR value is not an integer or out of range" is refused here too.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace strata {

// Strict integer: optional '-', no '+', no spaces, no leading zeros, fits int64.
std::optional<int64_t> ParseInt64(std::string_view s);
// Strict unsigned integer in the same style.
std::optional<uint64_t> ParseUint64(std::string_view s);
// A long double as INCRBYFLOAT accepts it: no spaces, not NaN, finite.
std::optional<long double> ParseLongDouble(std::string_view s);
// A double as Redis's getDoubleFromObject accepts it ("inf", "-inf" allowed; NaN refused).
std::optional<double> ParseDouble(std::string_view s);

std::string FormatInt64(int64_t v);
// INCRBYFLOAT's human format: fixed notation with 17 digits, trailing zeros removed.
std::string FormatLongDoubleHuman(long double v);
// Redis's %.17g formatting for doubles ("inf", "-inf").
std::string FormatDouble(double v);

// Memory sizes as redis.conf writes them: "100", "1k" (1000), "1kb" (1024), "mb", "gb", any case.
std::optional<uint64_t> ParseMemorySize(std::string_view s);

}  // namespace strata
