#include "storage/redo_log.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/coding.h"
#include "common/crc32c.h"
#include "testing/temp_dir.h"

namespace strata::storage {
namespace {

using ::strata::testing::TempDir;

class RedoLogTest : public ::testing::Test {
 protected:
  // Every record of every file, as (applied, deferred) pairs; the status of the replay.
  Status ReplayAll(std::vector<std::pair<std::string, std::string>>* out,
                   uint64_t* dropped = nullptr) {
    auto numbers = RedoLog::List(dir_);
    if (!numbers.ok()) return numbers.status();
    uint64_t d = 0;
    Status s = RedoLog::Replay(
        dir_, *numbers,
        [&](std::string_view payload) -> Status {
          std::vector<RedoSegment> segments;
          if (!DecodeRedoPayload(payload, &segments)) return Status::Corruption("payload");
          for (const RedoSegment& seg : segments) {
            out->emplace_back(std::string(seg.applied), std::string(seg.deferred));
          }
          return Status::OK();
        },
        &d);
    if (dropped) *dropped = d;
    return s;
  }

  void AppendBytes(uint64_t number, const std::string& bytes) {
    std::ofstream f(RedoFileName(dir_, number), std::ios::binary | std::ios::app);
    f << bytes;
  }

  TempDir tmp_{"redo"};
  const std::string dir_ = tmp_.path();  // the log directory every test passes to RedoLog
};

TEST(Crc32cTest, KnownValuesAndChaining) {
  EXPECT_EQ(Crc32c(""), 0u);
  EXPECT_EQ(Crc32c("123456789"), 0xe3069283u);  // the standard CRC-32C check value
  EXPECT_EQ(Crc32c("56789", Crc32c("1234")), Crc32c("123456789"));
  std::string long_input(1000, 'x');
  EXPECT_EQ(Crc32c(long_input.substr(500), Crc32c(long_input.substr(0, 500))), Crc32c(long_input));
  EXPECT_EQ(UnmaskCrc(MaskCrc(0x12345678u)), 0x12345678u);
  EXPECT_NE(MaskCrc(0x12345678u), 0x12345678u);
}

TEST_F(RedoLogTest, RecordsComeBackInOrderAcrossRotation) {
  auto log = RedoLog::Create(dir_, 1);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  ASSERT_TRUE((*log)->Append("a1", "d1").ok());
  ASSERT_TRUE((*log)->Append("", "d2").ok());
  auto retired = (*log)->Rotate();
  ASSERT_TRUE(retired.ok());
  EXPECT_EQ(*retired, 1u);
  EXPECT_EQ((*log)->number(), 2u);
  ASSERT_TRUE((*log)->Append("a3", "").ok());
  ASSERT_TRUE((*log)->Sync().ok());
  log->reset();

  auto numbers = RedoLog::List(dir_);
  ASSERT_TRUE(numbers.ok());
  EXPECT_EQ(*numbers, (std::vector<uint64_t>{1, 2}));
  std::vector<std::pair<std::string, std::string>> records;
  ASSERT_TRUE(ReplayAll(&records).ok());
  std::vector<std::pair<std::string, std::string>> want = {{"a1", "d1"}, {"", "d2"}, {"a3", ""}};
  EXPECT_EQ(records, want);

  ASSERT_TRUE(RedoLog::DeleteUpTo(dir_, 1).ok());
  numbers = RedoLog::List(dir_);
  EXPECT_EQ(*numbers, (std::vector<uint64_t>{2}));
}

TEST_F(RedoLogTest, TornTailOfTheNewestFileIsDropped) {
  auto log = RedoLog::Create(dir_, 7);
  ASSERT_TRUE(log.ok());
  ASSERT_TRUE((*log)->Append("kept", "").ok());
  ASSERT_TRUE((*log)->Append("also kept", "x").ok());
  log->reset();
  // A record header promising more bytes than follow: the process died mid-append.
  AppendBytes(7, std::string("\x00\x00\x01\x00\x12\x34\x56\x78partial", 15));
  std::vector<std::pair<std::string, std::string>> records;
  uint64_t dropped = 0;
  ASSERT_TRUE(ReplayAll(&records, &dropped).ok());
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].first, "also kept");
  EXPECT_EQ(dropped, 15u);
}

TEST_F(RedoLogTest, DamageBeforeTheNewestFileIsCorruption) {
  auto log = RedoLog::Create(dir_, 1);
  ASSERT_TRUE(log.ok());
  ASSERT_TRUE((*log)->Append("first", "").ok());
  ASSERT_TRUE((*log)->Rotate().ok());
  ASSERT_TRUE((*log)->Append("second", "").ok());
  log->reset();
  AppendBytes(1, "garbage!garbage!");
  std::vector<std::pair<std::string, std::string>> records;
  Status s = ReplayAll(&records);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(s.ToString().find("0000000000000001.redo"), std::string::npos) << s.ToString();
}

TEST_F(RedoLogTest, AFlippedByteFailsTheChecksum) {
  auto log = RedoLog::Create(dir_, 1);
  ASSERT_TRUE(log.ok());
  ASSERT_TRUE((*log)->Append("0123456789", "").ok());
  log->reset();
  std::string name = RedoFileName(dir_, 1);
  std::string bytes;
  {
    std::ifstream in(name, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  bytes[bytes.size() - 3] ^= 0x01;
  RedoRecordReader reader(bytes);
  std::string_view payload;
  EXPECT_EQ(reader.Next(&payload), RedoRecordReader::Result::kTorn);
}

// While a file is being written it holds zeros ahead of its records; what a kill -9 leaves
// must replay whole, with nothing reported dropped, and a closed file ends at its last record.
TEST_F(RedoLogTest, ZerosAheadOfTheRecordsAreACleanEnd) {
  auto log = RedoLog::Create(dir_, 3);
  ASSERT_TRUE(log.ok());
  ASSERT_TRUE((*log)->Append("one", "").ok());
  ASSERT_TRUE((*log)->Append(std::string(3000, 'x'), "two").ok());
  ASSERT_TRUE((*log)->Sync().ok());
  std::string name = RedoFileName(dir_, 3);
  uint64_t written = (*log)->bytes();
  EXPECT_GT(std::filesystem::file_size(name), written);  // the zeros are there before the close
  std::vector<std::pair<std::string, std::string>> records;
  uint64_t dropped = 1;
  ASSERT_TRUE(ReplayAll(&records, &dropped).ok());  // as a restart after kill -9 would
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].second, "two");
  EXPECT_EQ(dropped, 0u);
  log->reset();
  EXPECT_EQ(std::filesystem::file_size(name), written);
}

TEST(RedoRecordReaderTest, ZerosThenAnythingElseIsTorn) {
  auto log_with = [](std::string tail) {
    std::string file(kRedoMagic);
    std::string payload = EncodeRedoPayload("a", "");
    PutFixed32BE(&file, static_cast<uint32_t>(payload.size()));
    PutFixed32BE(&file, MaskCrc(Crc32c(payload)));
    return file + payload + tail;
  };
  std::string_view payload;
  std::string clean = log_with(std::string(5000, '\0'));
  RedoRecordReader padded(clean);
  ASSERT_EQ(padded.Next(&payload), RedoRecordReader::Result::kRecord);
  EXPECT_EQ(padded.Next(&payload), RedoRecordReader::Result::kEnd);
  std::string torn = log_with(std::string(5000, '\0') + "x");
  RedoRecordReader damaged(torn);
  ASSERT_EQ(damaged.Next(&payload), RedoRecordReader::Result::kRecord);
  EXPECT_EQ(damaged.Next(&payload), RedoRecordReader::Result::kTorn);
}

TEST(RedoRecordReaderTest, RejectsAFileOfAnotherProgram) {
  RedoRecordReader reader("this is not a redo log at all");
  std::string_view payload;
  EXPECT_EQ(reader.Next(&payload), RedoRecordReader::Result::kBadMagic);
}

TEST(RedoRecordReaderTest, AnEmptyFileHasNoRecords) {
  std::string_view payload;
  RedoRecordReader magic_only(kRedoMagic);
  EXPECT_EQ(magic_only.Next(&payload), RedoRecordReader::Result::kEnd);
  RedoRecordReader nothing("");
  EXPECT_EQ(nothing.Next(&payload), RedoRecordReader::Result::kTorn);
}

TEST(RedoPayloadTest, RoundTripsAndRejectsShortInput) {
  std::string p = EncodeRedoPayload("applied", "deferred");
  std::vector<RedoSegment> segs;
  ASSERT_TRUE(DecodeRedoPayload(p, &segs));
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].applied, "applied");
  EXPECT_EQ(segs[0].deferred, "deferred");
  EXPECT_FALSE(DecodeRedoPayload("ab", &segs));
  std::string lying = EncodeRedoPayload("applied", "");
  lying[3] = 100;  // claims more applied bytes than there are
  EXPECT_FALSE(DecodeRedoPayload(lying, &segs));
}

TEST(RedoPayloadTest, SegmentsRoundTripInOrder) {
  const std::vector<RedoSegment> in = {{"a1", "d1"}, {"", "d2"}, {"a3", ""}, {"", ""}};
  std::string p = EncodeRedoPayload(in);
  std::vector<RedoSegment> out;
  ASSERT_TRUE(DecodeRedoPayload(p, &out));
  ASSERT_EQ(out.size(), in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    EXPECT_EQ(out[i].applied, in[i].applied) << i;
    EXPECT_EQ(out[i].deferred, in[i].deferred) << i;
  }
}

TEST(RedoPayloadTest, MalformedSegmentedPayloadsAreRejected) {
  const std::vector<RedoSegment> in = {{"a1", "d1"}, {"a2", "d2"}};
  const std::string good = EncodeRedoPayload(in);
  std::vector<RedoSegment> out;
  EXPECT_FALSE(DecodeRedoPayload(good.substr(0, good.size() - 1), &out));  // a part cut short
  EXPECT_FALSE(DecodeRedoPayload(good + "x", &out));                       // bytes left over
  std::string one = good;
  one[7] = 1;  // one segment is always written in the original format
  EXPECT_FALSE(DecodeRedoPayload(one, &out));
  std::string huge = good;
  huge[4] = 0x7f;  // more segments than the payload could describe
  EXPECT_FALSE(DecodeRedoPayload(huge, &out));
  EXPECT_FALSE(DecodeRedoPayload(good.substr(0, 6), &out));
}

TEST_F(RedoLogTest, ASegmentedRecordReplaysItsSegmentsInOrder) {
  auto log = RedoLog::Create(dir_, 1);
  ASSERT_TRUE(log.ok());
  const std::vector<RedoSegment> segs = {{"a1", "d1"}, {"a2", ""}, {"", "d3"}};
  ASSERT_TRUE((*log)->Append(segs).ok());
  ASSERT_TRUE((*log)->Append("after", "").ok());
  log->reset();
  std::vector<std::pair<std::string, std::string>> records;
  ASSERT_TRUE(ReplayAll(&records).ok());
  const std::vector<std::pair<std::string, std::string>> want = {
      {"a1", "d1"}, {"a2", ""}, {"", "d3"}, {"after", ""}};
  EXPECT_EQ(records, want);
}

TEST_F(RedoLogTest, ARecordWithMoreSegmentsThanWritevTakesIsWrittenWhole) {
  auto log = RedoLog::Create(dir_, 1);
  ASSERT_TRUE(log.ok());
  std::vector<std::string> parts;
  for (int i = 0; i < 2000; ++i) parts.push_back("p" + std::to_string(i));
  std::vector<RedoSegment> segs;
  for (int i = 0; i < 1000; ++i) segs.push_back({parts[2 * i], parts[2 * i + 1]});
  ASSERT_TRUE((*log)->Append(segs).ok());
  log->reset();
  std::vector<std::pair<std::string, std::string>> records;
  ASSERT_TRUE(ReplayAll(&records).ok());
  ASSERT_EQ(records.size(), 1000u);
  EXPECT_EQ(records[999], std::make_pair(std::string("p1998"), std::string("p1999")));
}

}  // namespace
}  // namespace strata::storage
