// The string handle: every change it makes is in RocksDB after a commit and a reopen (durable
// profiles), with the TTL it should have.
#include "types/string.h"

#include <gtest/gtest.h>

#include "common/clock.h"
#include "testing/temp_dir.h"
#include "types/hash.h"

namespace strata::types {
namespace {

using ::strata::testing::TempDir;

class StringValueTest : public ::testing::TestWithParam<config::Profile> {
 protected:
  StringValueTest() { OpenKeyspace(); }
  void OpenKeyspace() {
    ks_.reset();
    storage::KeyspaceOptions options;
    options.profile = GetParam();
    options.path = dir_.path() + "/data";
    options.clock = &clock_;
    auto opened = storage::Keyspace::Open(options);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    ks_ = std::move(*opened);
    ks_->SetCommandTime(clock_.NowMs());
  }
  // Closes and reopens the keyspace in the durable profiles, so reads come from disk.
  void CommitAndReopen() {
    ASSERT_TRUE(ks_->Commit().ok());
    if (GetParam() != config::Profile::kCache) OpenKeyspace();
  }
  StringValue Open(std::string_view key) {
    auto s = StringValue::Open(*ks_, 0, key, /*for_write=*/true);
    EXPECT_TRUE(s.ok());
    return std::move(*s);
  }

  TempDir dir_{"string"};
  FakeClock clock_;
  std::unique_ptr<storage::Keyspace> ks_;
};

TEST_P(StringValueTest, EveryChangeIsPersisted) {
  const int64_t deadline = clock_.NowMs() + 60000;
  Open("a").Append("hello");
  Open("a").Append(" world");
  Open("r").Overwrite(3, "xy");  // a new key, zero-padded
  Open("r").Overwrite(1, "Q");
  Open("n").Replace("41");
  Open("n").Replace("42");
  Open("t").Set("v", deadline);
  Open("t").Replace("w");  // keeps the TTL
  Open("t").Append("!");   // so does an append
  CommitAndReopen();
  EXPECT_EQ(Open("a").value(), "hello world");
  EXPECT_EQ(Open("r").value(), std::string("\0Q\0xy", 5));
  EXPECT_EQ(Open("n").value(), "42");
  EXPECT_EQ(Open("t").value(), "w!");
  EXPECT_EQ(Open("t").expire_ms(), deadline);
  StringValue gone = Open("n");
  gone.Delete();
  EXPECT_FALSE(gone.exists());
  Open("t").SetExpire(0);
  CommitAndReopen();
  EXPECT_FALSE(Open("n").exists());
  EXPECT_EQ(Open("t").expire_ms(), 0);
}

TEST_P(StringValueTest, AnotherTypeIsWrongTypeUnlessOverwritten) {
  {
    auto h = Hash::Open(*ks_, 0, "h", /*for_write=*/true);
    ASSERT_TRUE(h.ok());
    ASSERT_TRUE(h->Set({{"f", "v"}}).ok());
  }
  auto s = StringValue::Open(*ks_, 0, "h", /*for_write=*/false);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(),
            "WRONGTYPE Operation against a key holding the wrong kind of value");
  StringValue::Overwriting(*ks_, 0, "h").Set("now a string", 0);
  CommitAndReopen();
  EXPECT_EQ(Open("h").value(), "now a string");
}

INSTANTIATE_TEST_SUITE_P(Profiles, StringValueTest,
                         ::testing::Values(config::Profile::kCache, config::Profile::kSession),
                         [](const auto& info) {
                           return std::string(config::ProfileName(info.param));
                         });

}  // namespace
}  // namespace strata::types
