// Incremental parser for client requests: RESP multibulk ("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n") and
// inline commands ("GET k\r\n", as telnet and redis-cli send them).
//
// Invariants:
//  - The parser never re-reads bytes it has already accepted: a command that arrives in many
//    reads costs O(total bytes), however it is split. Progress inside the current command is
//    kept as offsets relative to the start of that command, so the caller may move its buffer
//    (compact or grow it) between calls as long as it keeps the unconsumed bytes.
//  - On kError the connection must be closed after replying with error(); the parser is not
//    usable afterwards.
//
// Thread-compatible: one parser per connection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace strata::protocol {

struct ParserLimits {
  int64_t max_bulk_len = 512ll * 1024 * 1024;  // proto-max-bulk-len
  int64_t max_multibulk_len = INT32_MAX;       // Redis accepts up to INT_MAX when authenticated
  size_t max_inline_len = 64 * 1024;           // PROTO_INLINE_MAX_SIZE
};

class RequestParser {
 public:
  enum class Result { kCommand, kNeedMore, kError };

  explicit RequestParser(ParserLimits limits = {}) : limits_(limits) {}

  // Tries to parse one command from `input`, which starts at the first unconsumed byte.
  // kCommand: `args` holds the arguments (views into `input`, or into the parser's own storage
  //   for unescaped inline arguments) and *consumed is the command's length in bytes. The views
  //   stay valid until the next call to Parse.
  // kNeedMore: all of `input` is a prefix of a command; call again with more bytes appended.
  //   Empty commands ("*0\r\n", blank inline lines) are skipped and reported as consumed.
  // kError: `error()` holds Redis's reply text ("Protocol error: invalid bulk length").
  Result Parse(std::string_view input, size_t* consumed, std::vector<std::string_view>* args);

  const std::string& error() const { return error_; }
  void set_max_bulk_len(int64_t n) { limits_.max_bulk_len = n; }
  // How many bytes the command in progress still needs at least, so the caller can reserve its
  // buffer once for a large bulk argument instead of growing it read by read. 0 if unknown.
  size_t BytesWanted() const { return bytes_wanted_; }

 private:
  Result ParseMultibulk(std::string_view input, size_t* consumed,
                        std::vector<std::string_view>* args);
  Result ParseInline(std::string_view input, size_t* consumed, std::vector<std::string_view>* args);
  Result Fail(std::string msg);
  void Reset();

  ParserLimits limits_;
  std::string error_;
  // State of the multibulk command in progress (offsets from the command's first byte).
  bool in_multibulk_ = false;
  int64_t expected_args_ = 0;
  size_t pos_ = 0;
  std::vector<std::pair<size_t, size_t>> arg_spans_;
  size_t bytes_wanted_ = 0;
  std::vector<std::string> inline_storage_;  // an inline command's arguments (split_args.h)
};

}  // namespace strata::protocol
