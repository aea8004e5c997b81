// Starts the real strata-server for integration tests, and talks RESP to it.
//
// Every ServerProcess runs in its own fresh directory on a free loopback port, so tests can run
// in parallel (ctest -j). Nothing here sleeps for a fixed time: waiting for the server means
// polling PING until a deadline, and every read from a client has a deadline, so a hung server
// fails the test that hit it instead of hanging the whole run.
//
// Threading: neither class is thread-safe; each test owns its objects.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/reply_reader.h"
#include "testing/temp_dir.h"

namespace strata::testing {

using protocol::ReplyValue;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

struct ServerOptions {
  // Loads $STRATA_SOURCE_DIR/conf/<profile>.conf; empty starts without a config file.
  std::string profile = "session";
  // Loads this file instead of the profile's (CONFIG REWRITE tests own theirs).
  std::string config_file;
  // Extra command-line directives, appended after the harness's own --port/--bind/--dir, so
  // they win: {"--maxmemory", "20mb", "--maxmemory-policy", "noeviction"}.
  std::vector<std::string> directives;
  // Data directory. Empty: a fresh TempDir ("strata-it-XXXXXX" in the system temp directory).
  std::string dir;
  // Keep the directory after the ServerProcess is destroyed (a directory passed in `dir` is
  // never removed). STRATA_KEEP_TEST_DIRS=1 in the environment keeps every directory.
  bool keep_dir = false;
  // How long Start() waits for the first PONG.
  milliseconds start_timeout = milliseconds(10000);
};

// Options for `profile` with extra directives, e.g. WithProfile("cache", {"--maxmemory", "20mb"}).
inline ServerOptions WithProfile(std::string profile, std::vector<std::string> directives = {}) {
  ServerOptions o;
  o.profile = std::move(profile);
  o.directives = std::move(directives);
  return o;
}

// One strata-server child process. The port is chosen on the first Start() and kept for the
// object's life, so Restart() brings the server back where clients expect it.
class ServerProcess {
 public:
  explicit ServerProcess(ServerOptions options = {});
  ~ServerProcess();  // Kill9() if still running, then removes the directory unless kept.
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Forks and execs the server, then polls PING until PONG or the start timeout. On failure
  // the message includes the tail of the server's log. Use: ASSERT_TRUE(server.Start());
  ::testing::AssertionResult Start();
  // SIGTERM and wait (up to `timeout`; then SIGKILL). Returns the exit code, or 128+signal if
  // the process died of a signal, or -1 if it had to be killed.
  int Stop(milliseconds timeout = milliseconds(30000));
  // SIGKILL and reap: simulates a crash. No-op if not running.
  void Kill9();
  // Stop() (SIGTERM) if running, then Start() on the same directory and port.
  ::testing::AssertionResult Restart();
  // Kill9() then Start() on the same directory and port.
  ::testing::AssertionResult CrashAndRestart();
  // Waits for the process to exit by itself (e.g. after SHUTDOWN). Returns the exit code as
  // Stop() does, or nullopt if it is still running at the deadline.
  std::optional<int> WaitForExit(milliseconds timeout);

  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  int port() const { return port_; }
  const std::string& dir() const { return dir_; }
  const std::string& log_path() const { return log_path_; }
  // Everything the server printed (stdout and stderr) across all its runs.
  std::string LogText() const;
  // Resident set size of the running server from /proc/<pid>/status, in bytes; 0 if unknown.
  int64_t RssBytes() const;

 private:
  ::testing::AssertionResult Launch();
  bool PingOnce() const;
  std::optional<int> Reap(bool block);

  ServerOptions options_;
  // Set when options_.dir was empty: the harness made the directory and removes it (unless
  // kept) once the destructor has killed the server.
  std::optional<TempDir> owned_dir_;
  std::string dir_;
  std::string log_path_;
  int port_ = 0;
  pid_t pid_ = -1;
};

// A blocking RESP client with a deadline on every read and write.
class RespClient {
 public:
  explicit RespClient(int port, milliseconds timeout = milliseconds(15000));
  ~RespClient();
  RespClient(const RespClient&) = delete;
  RespClient& operator=(const RespClient&) = delete;

  bool connected() const { return fd_ >= 0; }
  // Why the last connect/read/write failed ("timeout", "closed by peer", ...).
  const std::string& last_error() const { return last_error_; }
  void set_timeout(milliseconds timeout) { timeout_ = timeout; }

  // Sends one command and reads its reply. An I/O failure (timeout, closed connection) adds a
  // test failure and returns an error value whose text starts with "IO ".
  ReplyValue Command(const std::vector<std::string>& args);
  // Sends all commands in one write, then reads one reply per command, in order.
  std::vector<ReplyValue> Pipeline(const std::vector<std::vector<std::string>>& commands);

  // Low level. SendRaw writes every byte (blocking) or returns false.
  bool SendRaw(std::string_view bytes);
  // Reads one reply; nullopt on timeout, close or malformed input (see last_error()).
  std::optional<ReplyValue> ReadReply();
  // Reads until the server closes the connection or the deadline passes; true if it closed.
  // Bytes that arrive meanwhile are kept and can still be read with ReadReply().
  bool WaitForClose(milliseconds timeout);
  // Reads exactly `n` raw bytes (to check the wire format); nullopt on timeout or close.
  std::optional<std::string> ReadRaw(size_t n);
  // Bytes received but not yet consumed by ReadReply().
  std::string_view Pending() const;
  void Close();

  // RESP encoding of a command as an array of bulk strings.
  static std::string Encode(const std::vector<std::string>& args);

 private:
  // Waits for readable/writable up to `deadline`; false on timeout.
  bool WaitFor(short events, Clock::time_point deadline);
  // Appends whatever is available to buffer_; false on close/timeout/error.
  bool Fill(Clock::time_point deadline);

  int fd_ = -1;
  milliseconds timeout_;
  std::string buffer_;
  size_t consumed_ = 0;  // bytes of buffer_ already parsed
  std::string last_error_;
};

// ---- Helpers for assertions -------------------------------------------------------------------

// "+OK" / bulk / error text as a string; other types render via DebugString().
std::string Str(const ReplyValue& v);
bool IsNil(const ReplyValue& v);
bool IsError(const ReplyValue& v);
// Parses INFO text into field -> value (sections flattened).
std::map<std::string, std::string> ParseInfo(std::string_view text);
// Returns field's value from INFO <section>, or "" if absent.
std::string InfoField(RespClient& client, const std::string& section, const std::string& field);
// Polls `condition` until it is true or `timeout` passes; returns its last result.
bool PollUntil(const std::function<bool()>& condition, milliseconds timeout,
               milliseconds interval = milliseconds(20));
// Wall-clock milliseconds since the epoch (for absolute expiry times).
int64_t UnixMillis();
// A deterministic printable value of `size` bytes derived from `seed`.
std::string MakeValue(size_t size, uint64_t seed);

// INFO clients' blocked_clients.
int64_t BlockedClients(RespClient& admin);
// Connects a new client, sends `cmd` without waiting for its reply, and waits until `admin`
// sees `expected_blocked` blocked clients (so the order in which clients blocked is known).
std::unique_ptr<RespClient> BlockOn(int port, const std::vector<std::string>& cmd,
                                    RespClient& admin, int64_t expected_blocked);

// A fixture with one server per test in the profile named by the test parameter, for the
// blocking tests: BlockOn(cmd, admin, n) as above, on that server.
class BlockingServerTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(WithProfile(GetParam()));
    ASSERT_TRUE(server_->Start());
  }
  std::unique_ptr<RespClient> BlockOn(const std::vector<std::string>& cmd, RespClient& admin,
                                      int64_t expected_blocked) {
    return testing::BlockOn(server_->port(), cmd, admin, expected_blocked);
  }
  std::unique_ptr<ServerProcess> server_;
};

}  // namespace strata::testing
