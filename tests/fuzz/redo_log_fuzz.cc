// Fuzz target: the redo log's record reader and payload decoder, which read bytes from disk at
// every start of a durable server. Any input must end in a record, an end, a torn tail or a
// bad magic; never a crash or a read out of bounds.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/coding.h"
#include "common/crc32c.h"
#include "storage/redo_log.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using strata::storage::RedoRecordReader;
  if (size == 0) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string file;
  switch (data[0] % 3) {
    case 0:  // raw bytes
      file.assign(rest);
      break;
    case 1:  // a valid magic, then raw bytes: reaches record framing
      file.assign(strata::storage::kRedoMagic);
      file.append(rest);
      break;
    default:  // a correctly framed record around raw bytes: reaches payload decoding
      file.assign(strata::storage::kRedoMagic);
      strata::PutFixed32BE(&file, static_cast<uint32_t>(rest.size()));
      strata::PutFixed32BE(&file, strata::MaskCrc(strata::Crc32c(rest)));
      file.append(rest);
      break;
  }
  RedoRecordReader reader(file);
  std::string_view payload;
  for (int i = 0; i < 1000; ++i) {
    if (reader.Next(&payload) != RedoRecordReader::Result::kRecord) break;
    std::vector<strata::storage::RedoSegment> segments;
    if (!strata::storage::DecodeRedoPayload(payload, &segments)) continue;
    // A decoded payload is exactly its framing and its parts, and encodes back to itself.
    size_t parts = 0;
    for (const auto& seg : segments) parts += seg.applied.size() + seg.deferred.size();
    const size_t framing = segments.size() == 1 ? 4 : 8 + 8 * segments.size();
    if (segments.empty() || parts + framing != payload.size() ||
        strata::storage::EncodeRedoPayload(segments) != payload) {
      __builtin_trap();
    }
  }
  return 0;
}
