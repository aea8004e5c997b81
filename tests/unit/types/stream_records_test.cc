// The group records' hand-written wire format against protobuf's own (proto/format.proto): the
// same bytes mean the same fields both ways, fields a later version adds are skipped, and
// missing ones read as zero. That is what lets a record grow without a format bump.
#include "types/stream_records.h"

#include <gtest/gtest.h>

#include <random>

#include "format.pb.h"

namespace strata::types {
namespace {

TEST(StreamRecords, HandEncodingIsProtobufs) {
  std::mt19937_64 rng(11);
  for (int i = 0; i < 1000; ++i) {
    GroupRecord g{rng(), rng() >> (rng() % 64), static_cast<int64_t>(rng()) >> (rng() % 64)};
    if (i == 0) g.entries_read = -1;
    proto::StreamGroupRecord pg;
    ASSERT_TRUE(pg.ParseFromString(EncodeGroupRecord(g)));
    EXPECT_EQ(pg.last_ms(), g.last_ms);
    EXPECT_EQ(pg.last_seq(), g.last_seq);
    EXPECT_EQ(pg.entries_read(), g.entries_read);
    GroupRecord back;
    ASSERT_TRUE(DecodeGroupRecord(pg.SerializeAsString(), &back));
    EXPECT_EQ(back.last_ms, g.last_ms);
    EXPECT_EQ(back.last_seq, g.last_seq);
    EXPECT_EQ(back.entries_read, g.entries_read);

    PendingRecord p{static_cast<int64_t>(rng() >> 20), rng() % 100,
                    std::string(rng() % 40, static_cast<char>(rng()))};
    proto::StreamPendingRecord pp;
    ASSERT_TRUE(pp.ParseFromString(EncodePendingRecord(p)));
    EXPECT_EQ(pp.delivery_ms(), p.delivery_ms);
    EXPECT_EQ(pp.delivery_count(), p.delivery_count);
    EXPECT_EQ(pp.consumer(), p.consumer);
    PendingRecord pback;
    ASSERT_TRUE(DecodePendingRecord(pp.SerializeAsString(), &pback));
    EXPECT_EQ(pback.delivery_ms, p.delivery_ms);
    EXPECT_EQ(pback.delivery_count, p.delivery_count);
    EXPECT_EQ(pback.consumer, p.consumer);

    ConsumerRecord c{static_cast<int64_t>(rng() >> 1)};
    proto::StreamConsumerRecord pc;
    ASSERT_TRUE(pc.ParseFromString(EncodeConsumerRecord(c)));
    EXPECT_EQ(pc.seen_ms(), c.seen_ms);
  }
}

TEST(StreamRecords, UnknownFieldsAreSkippedAndMissingOnesAreZero) {
  // What a later version might write: the known fields, then new ones of every wire type.
  std::string later = EncodePendingRecord(PendingRecord{1234, 3, "alice"});
  later += std::string("\x20\x96\x01", 3);                          // field 4, varint 150
  later += std::string("\x2a\x03xyz", 5);                           // field 5, bytes "xyz"
  later += std::string("\x35\x01\x02\x03\x04", 5);                  // field 6, fixed32
  later += std::string("\x39\x01\x02\x03\x04\x05\x06\x07\x08", 9);  // field 7, fixed64
  PendingRecord p;
  ASSERT_TRUE(DecodePendingRecord(later, &p));
  EXPECT_EQ(p.delivery_ms, 1234);
  EXPECT_EQ(p.delivery_count, 3u);
  EXPECT_EQ(p.consumer, "alice");
  // protobuf leaves zero fields out.
  proto::StreamGroupRecord empty;
  GroupRecord g{7, 7, 7};
  ASSERT_TRUE(DecodeGroupRecord(empty.SerializeAsString(), &g));
  EXPECT_EQ(g.last_ms, 0u);
  EXPECT_EQ(g.entries_read, 0);
}

TEST(StreamRecords, MalformedBytesAreRefused) {
  GroupRecord g;
  PendingRecord p;
  ConsumerRecord c;
  EXPECT_FALSE(DecodeGroupRecord(std::string("\x08", 1), &g));          // a missing varint
  EXPECT_FALSE(DecodeGroupRecord(std::string("\x08\xff\xff", 3), &g));  // a truncated one
  EXPECT_FALSE(DecodePendingRecord(std::string("\x1a\x05"
                                               "ab",
                                               4),
                                   &p));                               // bytes past the end
  EXPECT_FALSE(DecodeConsumerRecord(std::string("\x0b", 1), &c));      // wire type 3
  EXPECT_FALSE(DecodeConsumerRecord(std::string("\x00\x01", 2), &c));  // field 0
  EXPECT_FALSE(DecodeGroupRecord(std::string(11, '\xff'), &g));        // a varint of 11 bytes
}

TEST(StreamRecords, Format1RecordsDecode) {
  GroupRecord g;
  ASSERT_TRUE(DecodeGroupRecordFormat1(
      std::string("\0\0\0\0\0\0\0\x04\0\0\0\0\0\0\0\x01\xff\xff\xff\xff\xff\xff\xff\xff", 24), &g));
  EXPECT_EQ(g.last_ms, 4u);
  EXPECT_EQ(g.last_seq, 1u);
  EXPECT_EQ(g.entries_read, -1);
  PendingRecord p;
  ASSERT_TRUE(DecodePendingRecordFormat1(
      std::string("\0\0\0\0\0\0\x0c\x80\0\0\0\0\0\0\0\x07", 16) + "carol", &p));
  EXPECT_EQ(p.delivery_ms, 3200);
  EXPECT_EQ(p.delivery_count, 7u);
  EXPECT_EQ(p.consumer, "carol");
  EXPECT_FALSE(DecodeGroupRecordFormat1("short", &g));
}

}  // namespace
}  // namespace strata::types
