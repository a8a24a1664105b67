// SOAP 1.2 envelopes as WS-Scan exchanges them: what we send (WS-Addressing headers, a body), and
// what comes back (a body element, or a Fault with its subcode). No I/O. Answers are read by
// namespace URI, SOAP 1.2 or 1.1 alike.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "backend/scan/scanner_capabilities.hpp"
#include "hpaio/xml/xml_tree.hpp"

namespace hpaio::backend::wsd {

// The Content-Type of a WS-Scan request.
inline constexpr std::string_view soap_content_type = "application/soap+xml; charset=utf-8";
// The WS-Scan actions: the scan namespace, '/', the operation.
inline constexpr std::string_view action_get_scanner_elements =
    "http://schemas.microsoft.com/windows/2006/08/wdp/scan/GetScannerElements";
inline constexpr std::string_view action_create_scan_job =
    "http://schemas.microsoft.com/windows/2006/08/wdp/scan/CreateScanJob";
inline constexpr std::string_view action_retrieve_image =
    "http://schemas.microsoft.com/windows/2006/08/wdp/scan/RetrieveImage";
inline constexpr std::string_view action_cancel_job = "http://schemas.microsoft.com/windows/2006/08/wdp/scan/CancelJob";
inline constexpr std::string_view action_get_job_elements =
    "http://schemas.microsoft.com/windows/2006/08/wdp/scan/GetJobElements";

// Who a request goes to, and its identity.
struct Addressing {
  std::string to;          // the scan service's address, e.g. "http://192.0.2.10:3911/" (some devices need it)
  std::string message_id;  // "urn:uuid:...", new for every request
};

// A new "urn:uuid:..." (a random, version 4 UUID) for wsa:MessageID.
std::string new_message_id();

// `text` with &, <, >, " and ' escaped for XML character data and attribute values.
std::string xml_escape(std::string_view text);

// A whole SOAP 1.2 envelope: WS-Addressing MessageID, To, ReplyTo (anonymous) and Action headers,
// and `body` (XML whose elements use the prefix "wscn" for the scan namespace) inside soap:Body.
std::string envelope(const Addressing& to, std::string_view action, std::string_view body);

// What a SOAP Fault says. The WS-Scan faults a client acts on have a kind of their own.
struct Fault {
  enum class Kind {
    no_images_available,  // ClientErrorNoImagesAvailable: the job has no (more) pages
    not_accepting_jobs,   // ServerErrorNotAcceptingJobs: busy, or waiting for someone at the panel
    temporary_error,      // ServerErrorTemporaryError: try again later
    job_id_not_found,     // ClientErrorJobIdNotFound
    invalid_job_token,    // ClientErrorInvalidJobToken
    job_cancelled,        // ClientErrorJobCancelled
    invalid_args,         // InvalidArgs, ClientErrorInvalidArgs and the like: the ticket was refused
    internal_error,       // ServerErrorInternalError
    other,
  };
  Kind kind = Kind::other;
  std::string code;     // local name of Code/Value: Sender, Receiver (SOAP 1.1: Client, Server)
  std::string subcode;  // local name of Code/Subcode/Value: ClientErrorNoImagesAvailable, ...
  std::string reason;   // Reason/Text, the first one

  // "ClientErrorNoImagesAvailable (the server has no images)", for messages.
  std::string describe() const;
};

// The kind of a subcode's local name.
Fault::Kind fault_kind(std::string_view subcode);

// The Fault in a SOAP envelope (whatever the HTTP status: some devices answer faults with 200);
// nullopt when `xml` is not a SOAP envelope or holds no Fault.
std::optional<Fault> find_fault(std::string_view xml);

// The body's first element of a SOAP envelope, when it is {ns}name for one of `namespaces` (a
// copy, independent of the document). Throws ProtocolError naming `what` when `xml` is not an
// envelope or its body holds something else (a Fault is described).
xml::Element body_element(std::string_view xml, std::span<const std::string_view> namespaces, std::string_view name,
                          std::string_view what);

}  // namespace hpaio::backend::wsd
