// Appends replies in RESP2 or RESP3 to an output buffer. The caller chooses the protocol per
// connection (HELLO); types that RESP2 lacks degrade the way Redis degrades them: maps become
// flat arrays, sets become arrays, doubles become bulk strings, booleans become integers,
// nulls become $-1 (or *-1 for a null array), pushes become arrays.
//
// Thread-compatible. The builder does not own the buffer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace strata::protocol {

class ReplyBuilder {
 public:
  ReplyBuilder(std::string* out, int protocol) : out_(out), protocol_(protocol) {}

  int protocol() const { return protocol_; }
  void set_protocol(int p) { protocol_ = p; }
  std::string* buffer() { return out_; }
  void set_buffer(std::string* out) { out_ = out; }

  void Ok() { out_->append("+OK\r\n"); }
  void SimpleString(std::string_view s);
  // `text` is the whole error line without the leading '-', e.g. "ERR syntax error" or
  // "WRONGTYPE Operation against a key holding the wrong kind of value". Newlines are replaced
  // by spaces so a reply can never break the framing.
  void Error(std::string_view text);
  void Integer(int64_t v);
  void Bulk(std::string_view s);
  void Null();       // a missing value: $-1 in RESP2, _ in RESP3
  void NullArray();  // a missing aggregate: *-1 in RESP2, _ in RESP3
  void ArrayHeader(size_t n);
  void MapHeader(size_t n);  // n key/value pairs
  void SetHeader(size_t n);
  void PushHeader(size_t n);
  void Double(double v);
  void Bool(bool v);
  // Verbatim string ("txt" format) in RESP3, a bulk string in RESP2 (INFO, CLIENT LIST...).
  void Verbatim(std::string_view text);
  void BulkArray(const std::initializer_list<std::string_view>& items);
  // Raw, already-encoded RESP (for replies cached or built elsewhere).
  void Raw(std::string_view resp) { out_->append(resp); }

 private:
  void Header(char type, size_t n);
  std::string* out_;
  int protocol_;
};

}  // namespace strata::protocol
