// A data directory written by the previous format version opens: its stream groups, consumers
// and pending entries come back exactly, and the directory is in the current format afterwards,
// across a clean restart and a kill -9.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "integration/server_harness.h"

namespace strata::testing {
namespace {

// XINFO GROUPS / XINFO CONSUMERS as name -> field -> value (the idle fields left out: they
// depend on when the test runs).
std::map<std::string, std::map<std::string, std::string>> ByName(const ReplyValue& reply) {
  std::map<std::string, std::map<std::string, std::string>> out;
  for (const ReplyValue& item : reply.elements) {
    std::map<std::string, std::string> fields;
    for (size_t i = 0; i + 1 < item.elements.size(); i += 2) {
      const std::string name = Str(item.elements[i]);
      if (name == "idle" || name == "inactive") continue;
      const ReplyValue& v = item.elements[i + 1];
      fields[name] = IsNil(v)                               ? "(nil)"
                     : v.type == ReplyValue::Type::kInteger ? std::to_string(v.integer)
                                                            : Str(v);
    }
    out[fields["name"]] = fields;
  }
  return out;
}

// XPENDING key group - + 10 as "id owner deliveries" lines.
std::vector<std::string> Pending(RespClient& c, const std::string& group) {
  std::vector<std::string> out;
  for (const ReplyValue& e : c.Command({"XPENDING", "jobs", group, "-", "+", "10"}).elements) {
    out.push_back(Str(e.elements[0]) + " " + Str(e.elements[1]) + " " +
                  std::to_string(e.elements[3].integer));
  }
  return out;
}

void ExpectFixtureData(int port) {
  RespClient c(port);
  auto groups = ByName(c.Command({"XINFO", "GROUPS", "jobs"}));
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups["workers"]["last-delivered-id"], "4-1");
  EXPECT_EQ(groups["workers"]["entries-read"], "4");
  EXPECT_EQ(groups["workers"]["pending"], "3");
  EXPECT_EQ(groups["workers"]["consumers"], "4");
  EXPECT_EQ(groups["audit"]["last-delivered-id"], "3-1");
  EXPECT_EQ(groups["audit"]["entries-read"], "(nil)");
  EXPECT_EQ(groups["audit"]["pending"], "1");
  EXPECT_EQ(Pending(c, "workers"),
            (std::vector<std::string>{"2-1 alice 1", "3-1 carol 7", "4-1 bob 1"}));
  EXPECT_EQ(Pending(c, "audit"), (std::vector<std::string>{"3-1 dave 1"}));
  auto consumers = ByName(c.Command({"XINFO", "CONSUMERS", "jobs", "workers"}));
  ASSERT_EQ(consumers.size(), 4u);
  EXPECT_EQ(consumers["alice"]["pending"], "1");
  EXPECT_EQ(consumers["carol"]["pending"], "1");
  EXPECT_EQ(consumers["erin"]["pending"], "0");
  EXPECT_EQ(Str(c.Command({"GET", "plain"})), "value");
  EXPECT_EQ(c.Command({"XLEN", "jobs"}).integer, 5);
}

TEST(FormatUpgrade, AFormat1DirectoryOpensAndIsUpgraded) {
  TempDir dir("upgrade");
  const std::string unpack = "tar -xzf '" + std::string(STRATA_SOURCE_DIR) +
                             "/tests/fixtures/format-1-streams.tar.gz' -C '" + dir.path() + "'";
  ASSERT_EQ(std::system(unpack.c_str()), 0) << unpack;
  ServerOptions options;
  options.dir = dir.path();
  ServerProcess server(options);
  ASSERT_TRUE(server.Start());
  EXPECT_NE(server.LogText().find("is now in data format 2"), std::string::npos);
  ExpectFixtureData(server.port());
  // The upgraded records work on: an ack, a new delivery.
  {
    RespClient c(server.port());
    ASSERT_EQ(c.Command({"XACK", "jobs", "workers", "2-1"}).integer, 1);
    auto read = c.Command({"XREADGROUP", "GROUP", "workers", "erin", "STREAMS", "jobs", ">"});
    ASSERT_EQ(read.elements.size(), 1u);
    ASSERT_EQ(c.Command({"XACK", "jobs", "workers", "2-1"}).integer, 0);
  }
  ASSERT_TRUE(server.CrashAndRestart());
  {
    RespClient c(server.port());
    EXPECT_EQ(Pending(c, "workers"),
              (std::vector<std::string>{"3-1 carol 7", "4-1 bob 1", "5-1 erin 1"}));
  }
  ASSERT_TRUE(server.Restart());
  const std::string log = server.LogText();
  // Upgraded once: later starts find the current format.
  EXPECT_EQ(log.find("is now in data format 2"), log.rfind("is now in data format 2"));
  RespClient c(server.port());
  EXPECT_EQ(Str(c.Command({"GET", "plain"})), "value");
  EXPECT_EQ(ByName(c.Command({"XINFO", "GROUPS", "jobs"}))["workers"]["last-delivered-id"], "5-1");
}

}  // namespace
}  // namespace strata::testing
