"""Transmission of acts to the prefecture through @CTES (ACTES v1.1).

One entry point for the command line and the web application:
- the act identifier (`build_act_id`, `parse_act_id`, `check_number`);
- the package (`transmission_for`, `build_package`, `read_package`) with its XML
  messages (`act_message_xml`, `envelope_xml`) checked by `validate`;
- the prefecture's classification (`parse_classification`);
- the operator (`OperatorConfig`, `OperatorClient`) and `send`, which records the
  `transmitted` and `acknowledged` events in the register, each once;
- `enforceability` and the SCDL columns `prefecture_columns`.
Functions take plain values and an explicit clock; nothing is global.
"""

from registre.actes.classification import (
    AttachmentType,
    Classification,
    Matter,
    NatureEntry,
    parse_classification,
)
from registre.actes.enforceability import (
    Enforceability,
    Missing,
    PrefectureColumns,
    Status,
    enforceability,
    prefecture_columns,
    prefecture_id,
)
from registre.actes.errors import (
    ActesError,
    ActIdError,
    ClassificationError,
    OperatorError,
    OperatorRefusal,
    OperatorTimeout,
    PackageError,
)
from registre.actes.ids import (
    ActId,
    ActNature,
    build_act_id,
    check_number,
    departement_code,
    parse_act_id,
    suggested_number,
)
from registre.actes.message import (
    ActMessage,
    Emitter,
    act_message_xml,
    envelope_xml,
    read_act_message,
)
from registre.actes.operator import (
    Acknowledgement,
    OperatorClient,
    OperatorConfig,
    OperatorStatus,
    TransactionStatus,
    parse_acknowledgement,
)
from registre.actes.package import (
    Attachment,
    Package,
    PackageContents,
    PackedFile,
    Transmission,
    act_id_for,
    build_package,
    package_for,
    problems_of,
    read_package,
    transmission_for,
)
from registre.actes.schema import validate
from registre.actes.transmission import (
    Operator,
    Outcome,
    RetryPolicy,
    SendResult,
    register_events,
    send,
)

__all__ = [
    "Acknowledgement",
    "ActId",
    "ActIdError",
    "ActMessage",
    "ActNature",
    "ActesError",
    "Attachment",
    "AttachmentType",
    "Classification",
    "ClassificationError",
    "Emitter",
    "Enforceability",
    "Matter",
    "Missing",
    "NatureEntry",
    "Operator",
    "OperatorClient",
    "OperatorConfig",
    "OperatorError",
    "OperatorRefusal",
    "OperatorStatus",
    "OperatorTimeout",
    "Outcome",
    "Package",
    "PackageContents",
    "PackageError",
    "PackedFile",
    "PrefectureColumns",
    "RetryPolicy",
    "SendResult",
    "Status",
    "TransactionStatus",
    "Transmission",
    "act_id_for",
    "act_message_xml",
    "build_act_id",
    "build_package",
    "check_number",
    "departement_code",
    "enforceability",
    "envelope_xml",
    "package_for",
    "parse_acknowledgement",
    "parse_act_id",
    "parse_classification",
    "prefecture_columns",
    "prefecture_id",
    "problems_of",
    "read_act_message",
    "read_package",
    "register_events",
    "send",
    "suggested_number",
    "transmission_for",
    "validate",
]
