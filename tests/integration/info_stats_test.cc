// INFO commandstats and errorstats: what a monitoring agent reads, counted as Redis 7.0 counts
// it (checked against redis-server 7.0.15 by hand: same counts for the same sequence).
#include <gtest/gtest.h>

#include <string>

#include "integration/server_harness.h"

namespace strata::testing {
namespace {

// "calls=2,usec=15,..." -> the value of `name`.
std::string StatPart(const std::string& line, const std::string& name) {
  size_t at = line.find(name + "=");
  if (at == std::string::npos) return "";
  size_t end = line.find(',', at);
  return line.substr(at + name.size() + 1,
                     end == std::string::npos ? std::string::npos : end - at - name.size() - 1);
}

TEST(InfoStats, CommandAndErrorStatsCountCallsRejectionsAndFailures) {
  ServerProcess server(WithProfile("session"));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  EXPECT_EQ(Str(c.Command({"CONFIG", "RESETSTAT"})), "OK");
  c.Command({"SET", "a", "1"});
  c.Command({"GET", "a"});
  EXPECT_TRUE(IsError(c.Command({"LPUSH", "a", "x"})));  // WRONGTYPE: a failed call
  EXPECT_TRUE(IsError(c.Command({"GET"})));              // arity: a rejected call
  EXPECT_TRUE(IsError(c.Command({"NOSUCH"})));
  c.Command({"MULTI"});
  c.Command({"GETX"});
  EXPECT_TRUE(IsError(c.Command({"EXEC"})));  // EXECABORT
  EXPECT_TRUE(IsError(c.Command({"CLIENT", "NOSUCH"})));

  std::string all = Str(c.Command({"INFO", "all"}));
  auto stats = ParseInfo(all);
  EXPECT_EQ(StatPart(stats["cmdstat_get"], "calls"), "1");
  EXPECT_EQ(StatPart(stats["cmdstat_get"], "rejected_calls"), "1");
  EXPECT_EQ(StatPart(stats["cmdstat_lpush"], "failed_calls"), "1");
  EXPECT_EQ(StatPart(stats["cmdstat_exec"], "failed_calls"), "1");
  EXPECT_EQ(StatPart(stats["cmdstat_set"], "failed_calls"), "0");
  EXPECT_EQ(stats.count("cmdstat_client"), 0u) << "an unknown subcommand is nobody's call";
  EXPECT_EQ(stats["errorstat_ERR"], "count=4");
  EXPECT_EQ(stats["errorstat_WRONGTYPE"], "count=1");
  EXPECT_EQ(stats["errorstat_EXECABORT"], "count=1");
  EXPECT_EQ(stats["total_error_replies"], "6");

  std::string plain = Str(c.Command({"INFO"}));
  EXPECT_NE(plain.find("# Errorstats"), std::string::npos);
  EXPECT_EQ(plain.find("# Commandstats"), std::string::npos) << "not a default section";
  EXPECT_NE(Str(c.Command({"INFO", "commandstats"})).find("cmdstat_info:calls="),
            std::string::npos);

  EXPECT_EQ(Str(c.Command({"CONFIG", "RESETSTAT"})), "OK");
  EXPECT_EQ(InfoField(c, "stats", "total_error_replies"), "0");
  EXPECT_EQ(Str(c.Command({"INFO", "errorstats"})).find("errorstat_"), std::string::npos);
}

}  // namespace
}  // namespace strata::testing
