// The network server: accepts RESP connections on the configured addresses, feeds each
// connection's input to the engine in batches, and sends replies only when their writes are
// written (and synced, under appendfsync always). One asio io_context on one thread runs
// all of it, so commands execute one at a time as in Redis.
//
// Threading: everything on the thread that calls Run(), except the commit pipeline's
// callback, which is posted back onto that thread.
#pragma once

#include <asio.hpp>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "commands/context.h"
#include "engine/engine.h"

namespace strata::net {

class Connection;

class Server : public commands::Host {
 public:
  Server();
  ~Server() override;

  // Opens the engine and binds the listening sockets. Errors name the address or the cause.
  Status Start(std::unique_ptr<config::Config> config);
  // Serves until SHUTDOWN, SIGTERM or SIGINT. Returns the process exit code.
  int Run();

  // commands::Host
  std::vector<ClientInfo> Clients() override;
  bool KillClient(uint64_t id) override;
  void Shutdown() override;
  size_t ConnectedClients() override { return connections_.size(); }
  size_t ClientBufferBytes() override;
  uint16_t Port() override { return port_; }
  std::string ClientInfoLine(const commands::Session& session) override;
  bool UnblockClient(uint64_t id, bool error) override;
  size_t BlockedClients() override { return parked_.size(); }
  void Deliver(uint64_t id, std::string_view bytes) override;
  const commands::Session* FindSession(uint64_t id) override;
  void ResumePaused() override;

  // Used by connections.
  engine::Engine& engine() { return *engine_; }
  asio::io_context& io() { return io_; }
  void AddCommitWaiter(std::shared_ptr<Connection> c);
  // Whether this pass's writes are committed here, once, at its end (BeforeSleep) rather than
  // handed to the commit thread as each connection's batch ends. Under always, as Redis does
  // (commit_pipeline.h says why). Under everysec and no, only while one client is connected:
  // it waits for its reply, nobody's commands could run while the commit thread wrote, and the
  // hand-over there and back cost it more than the write (one consumer's XREADGROUP+XACK at
  // -P 16 measured 0.71x Redis handed over, 0.97x inline). With more clients, holding their
  // writes to the end of the pass measured slower (SET at -c 50 -P 1: 68-72k/s against
  // 97-100k/s handed over). Inline, connections note their ticket and ScheduleCommit().
  bool InlineCommits() const {
    if (!engine_->durable()) return false;
    return engine_->config().values().appendfsync == config::FsyncPolicy::kAlways ||
           connections_.size() == 1;
  }
  // Commit at the end of this pass of the event loop.
  void ScheduleCommit() { commit_wanted_ = true; }

  // Blocking: a connection waits on the keys of its BlockRequest, in arrival order per key
  // (the engine's KeyRegistry keeps the queues, by connection id).
  void Park(std::shared_ptr<Connection> c);
  void Unpark(Connection* c);
  // Serves clients waiting on keys that commands have just made ready (KeyRegistry).
  void ServeReadyKeys();
  void Remove(uint64_t id);
  // CLIENT PAUSE holds back a command of this connection until the pause ends.
  void Postpone(std::shared_ptr<Connection> c);

 private:
  void Accept(asio::ip::tcp::acceptor& acceptor);
  void ScheduleCron();
  void Cron();
  void OnWritten(uint64_t ticket);
  void ReleaseCommitWaiters();
  // After each pass of the event loop: commits what the pass staged (InlineCommits) and
  // sends the replies it held.
  void BeforeSleep();
  void UnblockStreamGroupReaders(int db, std::string_view key);
  // The connection blocked longest on `key`, or null.
  std::shared_ptr<Connection> FirstWaiter(int db, std::string_view key);
  void StopNow();
  void ArmPauseTimer();  // wakes the held-back clients when the pause ends

  asio::io_context io_{1};
  asio::signal_set signals_{io_};
  asio::steady_timer cron_timer_{io_};
  std::vector<std::unique_ptr<asio::ip::tcp::acceptor>> acceptors_;
  std::unique_ptr<engine::Engine> engine_;
  std::unordered_map<uint64_t, std::shared_ptr<Connection>> connections_;
  std::vector<std::shared_ptr<Connection>> commit_waiters_;
  struct Parked {
    int db;
    std::vector<std::string> keys;
  };
  std::unordered_map<uint64_t, Parked> parked_;  // by connection id
  std::vector<std::shared_ptr<Connection>> postponed_;  // in the order they were held back
  asio::steady_timer pause_timer_{io_};
  bool serving_ = false;
  bool commit_wanted_ = false;
  uint16_t port_ = 0;
  bool stopping_ = false;
};

}  // namespace strata::net
