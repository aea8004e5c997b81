// In-process command tests: a Keyspace (cache profile, or session profile on RocksDB in a
// fresh temp dir) driven by a FakeClock, and Run({"set","k","v"}) that dispatches one command
// exactly as the server does (dispatch, then commit) and decodes the reply.
//
// Replies are compared through ReplyValue::DebugString(): +OK, -ERR ..., :1, "bulk", (nil),
// [a, b] — short to write and precise about the reply's type.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "commands/command_table.h"
#include "commands/context.h"
#include "commands/dispatch.h"
#include "common/clock.h"
#include "config/config.h"
#include "protocol/reply_builder.h"
#include "protocol/reply_reader.h"
#include "storage/keyspace.h"
#include "testing/temp_dir.h"

namespace strata::commands::testing {

class CommandFixture {
 public:
  explicit CommandFixture(config::Profile profile) : profile_(profile) {
    config_.values().profile = profile;
    config_.values().dir = dir_.path();
    server_.config = &config_;
    server_.clock = &clock_;
    Open();
  }

  // The keyspace closes before server_ and session_ go; dir_, declared before ks_, goes after.
  ~CommandFixture() {
    server_.keyspace = nullptr;
    ks_.reset();
  }

  CommandFixture(const CommandFixture&) = delete;
  CommandFixture& operator=(const CommandFixture&) = delete;

  // Closes the keyspace (committing what is staged) and opens it again on the same directory:
  // in the session profile everything must come back from RocksDB.
  void Reopen() {
    server_.keyspace = nullptr;
    ks_.reset();
    Open();
  }

  // Runs one command in RESP2 and returns the decoded reply.
  protocol::ReplyValue Call(const std::vector<std::string>& args, int protocol = 2) {
    std::string raw = RunRaw(args, protocol);
    protocol::ReplyValue value;
    int64_t used = protocol::ReadReply(raw, &value);
    EXPECT_EQ(used, static_cast<int64_t>(raw.size())) << "not exactly one reply: " << raw;
    return value;
  }

  // The reply as DebugString(): the usual way to assert on it.
  std::string Run(const std::vector<std::string>& args) { return Call(args).DebugString(); }
  std::string Run3(const std::vector<std::string>& args) { return Call(args, 3).DebugString(); }

  // The reply's exact bytes.
  std::string RunRaw(const std::vector<std::string>& args, int protocol = 2) {
    std::vector<std::string_view> views(args.begin(), args.end());
    std::string out;
    protocol::ReplyBuilder reply(&out, protocol);
    session_.protocol = protocol;
    Dispatch(server_, session_, views, reply);
    Status s = ks_->Commit();
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }

  FakeClock& clock() { return clock_; }
  storage::Keyspace& ks() { return *ks_; }
  Session& session() { return session_; }
  config::Config& config() { return config_; }
  config::Profile profile() const { return profile_; }

 private:
  void Open() {
    storage::KeyspaceOptions options;
    options.profile = profile_;
    options.path = dir_.path() + "/data";
    options.databases = 16;
    options.clock = &clock_;
    auto opened = storage::Keyspace::Open(options);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    ks_ = std::move(*opened);
    server_.keyspace = ks_.get();
  }

  config::Profile profile_;
  ::strata::testing::TempDir dir_{"commands"};  // outlives ks_, which has files open inside it
  FakeClock clock_;
  config::Config config_;
  std::unique_ptr<storage::Keyspace> ks_;
  ServerState server_;
  Session session_;
};

// Base for tests that run in both the cache and the session profile.
class ProfileTest : public ::testing::TestWithParam<config::Profile> {
 protected:
  ProfileTest() : f_(GetParam()) {}

  std::string Run(const std::vector<std::string>& args) { return f_.Run(args); }
  std::string Run3(const std::vector<std::string>& args) { return f_.Run3(args); }
  std::string RunRaw(const std::vector<std::string>& args, int protocol = 2) {
    return f_.RunRaw(args, protocol);
  }
  void AdvanceMs(int64_t ms) { f_.clock().AdvanceMs(ms); }
  int64_t NowMs() { return f_.clock().NowMs(); }

  CommandFixture f_;
};

inline std::string ProfileParamName(const ::testing::TestParamInfo<config::Profile>& info) {
  return std::string(config::ProfileName(info.param));
}

#define STRATA_INSTANTIATE_PROFILES(suite)                                                       \
  INSTANTIATE_TEST_SUITE_P(                                                                      \
      Profiles, suite,                                                                           \
      ::testing::Values(::strata::config::Profile::kCache, ::strata::config::Profile::kSession), \
      ::strata::commands::testing::ProfileParamName)

}  // namespace strata::commands::testing
