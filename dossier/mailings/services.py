"""Operations on mailings: make one with its recipients, record and correct answers.

Like every service they check, change, audit and flush; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from dossier.auth.models import utcnow
from dossier.auth.permissions import Action, can, writable_scopes
from dossier.barcodes import MailingCode
from dossier.compliance.audit import AuditAction, record
from dossier.customers.models import Customer
from dossier.customers.segment_models import Segment
from dossier.extensions import db
from dossier.ingest.models import IngestJob
from dossier.mailings import coupon, queries
from dossier.mailings.letters import BODY_LINES, body_lines, subject_fits
from dossier.mailings.models import AnswerSource, Mailing, MailingRecipient, RecipientStatus
from dossier.mailings.queries import MAX_RECIPIENTS, RecipientFilter

MAX_NAME_LENGTH = 200  # name and subject columns
MAX_OPTION_LENGTH = 40
MIN_OPTIONS = 2


class MailingInvalid(ValueError):
    """The mailing cannot be made as asked; `errors` maps a field to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class ReplyRefused(ValueError):
    """A reply cannot be recorded; `str(error)` says why, for a person."""

    reason = "reply_refused"


class UnknownRecipient(ReplyRefused):
    reason = "unknown_recipient"


@dataclass
class MailingInput:
    name: str
    scope: str
    subject: str
    body: str
    answer_options: list[str]
    recipients: RecipientFilter = field(default_factory=RecipientFilter)
    store_coupon_images: bool = False


def create_mailing(actor: Any, data: MailingInput) -> Mailing:
    """A mailing with a numbered letter for each customer the filter picks."""
    errors = _check(actor, data)
    customers: list[Customer] = []
    if not errors:
        customers = list(db.session.scalars(
            queries.recipient_customers(data.recipients).limit(MAX_RECIPIENTS + 1)))
        if not customers:
            errors["recipients"] = _("No customer with a postal address matches these filters.")
        elif len(customers) > MAX_RECIPIENTS:
            errors["recipients"] = _("More than %(max)s customers match; narrow the filters.",
                                     max=MAX_RECIPIENTS)
    if errors:
        raise MailingInvalid(errors)
    mailing = Mailing(name=data.name.strip(), scope=data.scope, subject=data.subject.strip(),
                      body=data.body.strip("\n"), answer_options=_options(data.answer_options),
                      store_coupon_images=data.store_coupon_images,
                      recipient_filter=data.recipients.as_dict(),
                      created_by_id=getattr(actor, "id", None))
    db.session.add(mailing)
    db.session.flush()
    db.session.add_all(MailingRecipient(mailing_id=mailing.id, customer_id=customer.id,
                                        sequence=number)
                       for number, customer in enumerate(customers, start=1))
    record(actor, AuditAction.CREATE, mailing, scope=mailing.scope,
           details={"name": mailing.name, "recipients": len(customers),
                    "filter": mailing.recipient_filter, "customers": [c.id for c in customers]})
    db.session.flush()
    return mailing


def _options(raw: list[str]) -> list[str]:
    return [" ".join(option.split()) for option in raw if option.strip()]


def _check(actor: Any, data: MailingInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = _("Give the mailing a name.")
    elif len(data.name.strip()) > MAX_NAME_LENGTH:
        errors["name"] = _("A name is at most %(max)s characters long.", max=MAX_NAME_LENGTH)
    if data.scope not in writable_scopes(actor):
        errors["scope"] = _("Choose among the scopes offered.")
    if not data.subject.strip():
        errors["subject"] = _("The letter needs a subject.")
    elif len(data.subject.strip()) > MAX_NAME_LENGTH or not subject_fits(data.subject.strip()):
        errors["subject"] = _("The subject is too long for its line on the letter.")
    if not data.body.strip():
        errors["body"] = _("The letter needs a text.")
    elif body_lines(data.body) > BODY_LINES:
        errors["body"] = _("The text takes %(lines)s lines; one letter page holds %(max)s.",
                           lines=body_lines(data.body), max=BODY_LINES)
    problem = _options_problem(_options(data.answer_options))
    if problem:
        errors["answer_options"] = problem
    if not queries.valid_postcode_prefix(data.recipients.postcode):
        errors["postcode"] = _("A postcode holds digits, letters and a space only.")
    if data.recipients.segment_id is not None:
        segment = db.session.get(Segment, data.recipients.segment_id)
        if segment is None or not can(actor, Action.VIEW, segment):
            errors["segment"] = _("Choose one of the segments offered.")
    return errors


def _options_problem(options: list[str]) -> str | None:
    if not MIN_OPTIONS <= len(options) <= coupon.MAX_OPTIONS:
        return _("Give between %(min)s and %(max)s answers, one per line.",
                 min=MIN_OPTIONS, max=coupon.MAX_OPTIONS)
    if any(len(option) > MAX_OPTION_LENGTH for option in options):
        return _("An answer is at most %(max)s characters long.", max=MAX_OPTION_LENGTH)
    if len({option.casefold() for option in options}) < len(options):
        return _("Each answer may appear only once.")
    return None


def record_reply(code: MailingCode, answer: str | None, job: IngestJob | None,
                 actor: Any) -> MailingRecipient:
    """A returned reply coupon: its recipient has responded (today), with `answer`, or
    with an answer still unknown (None) for a person to complete.

    A later coupon for the same recipient keeps the first response date and does not wipe
    a known answer with an unknown one. Raises UnknownRecipient for a code naming no
    letter, ReplyRefused when `actor` may not work in the mailing's scope.
    """
    recipient = db.session.scalar(
        select(MailingRecipient).where(MailingRecipient.id == code.recipient_id,
                                       MailingRecipient.mailing_id == code.mailing_id)
        .with_for_update(of=MailingRecipient))
    if recipient is None:
        raise UnknownRecipient(_(
            "The reply coupon %(code)s names mailing %(mailing)s, letter %(recipient)s, which "
            "does not exist.", code=code.code, mailing=code.mailing_id,
            recipient=code.recipient_id))
    mailing = recipient.mailing
    if not can(actor, Action.EDIT, mailing):
        raise ReplyRefused(_("%(user)s may not record replies to mailings in scope %(scope)s.",
                             user=getattr(actor, "username", str(actor)), scope=mailing.scope))
    if answer is not None and answer not in mailing.answer_options:
        raise ReplyRefused(_("“%(answer)s” is not an answer of mailing %(mailing)s.",
                             answer=answer, mailing=mailing.name))
    before = _state(recipient)
    recipient.status = RecipientStatus.RESPONDED.value
    recipient.responded_at = recipient.responded_at or utcnow()
    if answer is not None or before["status"] != RecipientStatus.RESPONDED.value:
        recipient.answer = answer
        recipient.answer_source = AnswerSource.COUPON.value
    recipient.source_job_id = job.id if job is not None else recipient.source_job_id
    _audit_change(actor, recipient, before, {"source": AnswerSource.COUPON.value,
                                             "job": job.id if job is not None else None})
    db.session.flush()
    return recipient


def correct_answer(actor: Any, recipient: MailingRecipient, responded: bool,
                   answer: str | None) -> bool:
    """A person sets the recipient's response: not (yet) responded, responded with an
    answer unknown (None), or with one of the mailing's answers. True if anything changed."""
    mailing = recipient.mailing
    if not can(actor, Action.EDIT, mailing):
        raise ReplyRefused(_("You may not change the answers of this mailing."))
    if answer is not None and (not responded or answer not in mailing.answer_options):
        raise ReplyRefused(_("Choose one of the answers offered."))
    before = _state(recipient)
    status = RecipientStatus.RESPONDED.value if responded else RecipientStatus.SENT.value
    if (status, answer) == (before["status"], before["answer"]):
        return False
    recipient.status, recipient.answer = status, answer
    recipient.responded_at = (recipient.responded_at or utcnow()) if responded else None
    recipient.answer_source = AnswerSource.MANUAL.value if responded else None
    _audit_change(actor, recipient, before, {"source": AnswerSource.MANUAL.value})
    db.session.flush()
    return True


def _state(recipient: MailingRecipient) -> dict[str, Any]:
    return {"status": recipient.status, "answer": recipient.answer}


def _audit_change(actor: Any, recipient: MailingRecipient, before: dict[str, Any],
                  extra: dict[str, Any]) -> None:
    record(actor, AuditAction.UPDATE, recipient, customer_id=recipient.customer_id,
           scope=recipient.mailing.scope,
           details={"mailing": recipient.mailing_id, "letter": recipient.sequence,
                    "before": before, "after": _state(recipient)} | extra)


def record_recipients_view(actor: Any, mailing: Mailing,
                           recipients: list[MailingRecipient]) -> None:
    """Who looked at which recipients' answers (one event per page of the list)."""
    record(actor, AuditAction.VIEW, mailing, scope=mailing.scope,
           details={"recipients": [r.id for r in recipients],
                    "customers": [r.customer_id for r in recipients]})


def record_letters_export(actor: Any, mailing: Mailing, letters: int) -> None:
    """Printing the letters puts every recipient's name and address on paper."""
    record(actor, AuditAction.EXPORT, mailing, scope=mailing.scope,
           details={"letters": letters})
