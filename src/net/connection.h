// One client connection: input buffer, request parser, session, output buffers.
//
// The connection executes every complete command it has read, seals their writes into the
// open commit batch, and holds the replies until that batch (and everything else the
// client could have observed) is written — and synced, under appendfsync always. Then it
// sends all the replies in one write. So replies leave in order, pipelined input costs one
// write per batch, and no client is ever shown data that a crash could take back.
//
// A blocking command that has to wait parks the connection (blocked()): later input is
// buffered but not executed, until the server serves it (ServeBlocked), it times out, or
// CLIENT UNBLOCK releases it.
//
// Invariants: at most one read and one write are in flight; replies are appended to out_
// and only wbuf_ is handed to the socket, so appending never disturbs a write in flight.
#pragma once

#include <asio.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "commands/context.h"
#include "protocol/reply_builder.h"
#include "protocol/resp_parser.h"

namespace strata::net {

class Server;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Server& server, asio::ip::tcp::socket socket);

  void Start();
  // Closes the socket; pending operations finish with an error and release the connection.
  void Close();
  // Called when a commit ticket was written. Returns false if this connection still waits
  // for a later ticket (it stays registered).
  bool OnWritten();

  // Blocking. The command that blocked, as the server must run it again.
  bool blocked() const { return blocked_; }
  const commands::BlockRequest& block_request() const { return session_->block; }
  // Runs the blocked command again. Returns true if it was served (the connection resumes),
  // false if it still has to wait.
  bool ServeBlocked();
  // Ends the wait with the timeout reply (or CLIENT UNBLOCK's error) and resumes.
  void EndBlock(bool error);
  // Ends a block with this error reply instead (without the leading '-').
  void EndBlockWithError(std::string_view message);
  // A blocked XREADGROUP: told when a stream it waits on stops existing.
  bool WaitsOnStreamGroup() const;

  uint64_t id() const { return session_->id; }
  const commands::Session& session() const { return *session_; }
  std::string InfoLine() const;
  const std::string& addr() const { return addr_; }
  const std::string& laddr() const { return laddr_; }
  int64_t last_interaction_ms() const { return last_interaction_ms_; }
  size_t BufferBytes() const { return in_.capacity() + out_.capacity() + wbuf_.capacity(); }
  // Pub/sub: appends a message to the output and sends it unless a reply is being built or
  // held for a commit (it then leaves with that reply, in order).
  // Under client-output-buffer-limit's pubsub class, a subscriber whose pending output passes
  // the hard limit, or stays above the soft limit for its seconds, is disconnected: the
  // server's memory stays bounded and the publisher never waits for a slow reader.
  void Deliver(std::string_view bytes);
  bool closed() const { return closed_; }
  // CLIENT PAUSE is over: process the command it held back, and what follows.
  void Unpause() {
    postponed_ = false;
    TryProcess();
  }

 private:
  bool CheckOutputLimit();
  void Read();
  void OnRead(const asio::error_code& ec, size_t n);
  // Executes buffered commands unless blocked, waiting for a commit, or writing.
  void TryProcess();
  void ProcessInput();
  void Block();
  void Resume();
  void FinishBatch();
  void Write();
  void OnWrite(const asio::error_code& ec);

  Server& server_;
  asio::ip::tcp::socket socket_;
  asio::steady_timer block_timer_;
  std::unique_ptr<commands::Session> session_;
  protocol::RequestParser parser_;
  std::vector<char> in_;
  size_t in_start_ = 0;  // first unconsumed byte
  size_t in_end_ = 0;    // one past the last byte read
  std::string out_;      // replies not yet handed to the socket
  std::string wbuf_;     // the write in flight
  std::vector<std::string_view> args_;
  std::vector<std::string> blocked_args_;  // owned copy of the blocked command
  uint64_t wait_ticket_ = 0;               // replies are held until this commit ticket is written
  bool waiting_commit_ = false;
  bool reading_ = false;
  bool writing_ = false;
  bool blocked_ = false;
  bool postponed_ = false;                // a command waits, unread, for CLIENT PAUSE to end
  bool processing_ = false;               // inside ProcessInput: replies are being built
  bool output_over_limit_ = false;        // to be closed: its output passed a buffer limit
  int64_t over_soft_limit_since_ms_ = 0;  // 0 = not above the soft limit
  bool closed_ = false;
  std::string addr_;
  std::string laddr_;
  int64_t last_interaction_ms_ = 0;
};

}  // namespace strata::net
