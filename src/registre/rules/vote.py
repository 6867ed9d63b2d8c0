"""The vote: tally, outcome, casting vote, ballot mode (L2121-20, L2121-21, L2131-11)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from registre.record import CollectivityKind, Outcome, Vote, VoteChoice, VoteMode
from registre.rules.context import ItemContext, plural
from registre.rules.findings import Code, Finding, Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO


def _total(vote: Vote) -> int:
    parts = (vote.for_, vote.against, vote.abstention, vote.not_voting, vote.blank, vote.void)
    return sum(p for p in parts if p is not None)


def check_tally(ctx: ItemContext, vote: Vote) -> Iterator[Finding]:
    """TALLY_EXCEEDS_VOTERS and TALLY_INCOMPLETE."""
    possible = ctx.possible_voters
    if possible is None or (vote.for_ is None and vote.against is None):
        return
    total = _total(vote)
    voters = f"{possible} votants possibles ({ctx.count('present')} présents + {ctx.count('represented')} représentés)"
    if total > possible:
        yield ctx.find(
            Code.TALLY_EXCEEDS_VOTERS,
            E,
            f"Le décompte totalise {plural(total, 'voix', 'voix')} pour {voters}.",
            "/vote",
        )
    elif total < possible:
        known = None not in (vote.for_, vote.against, vote.abstention, vote.not_voting)
        gap = possible - total
        missing = plural(gap, "membre n'est pas décompté", "membres ne sont pas décomptés")
        yield ctx.find(
            Code.TALLY_INCOMPLETE,
            W if known else I,
            f"Le décompte totalise {plural(total, 'voix', 'voix')} pour {voters} : {missing}.",
            "/vote",
        )


def check_unanimity(ctx: ItemContext, vote: Vote) -> Iterator[Finding]:
    """UNANIMITY_CLAIM_FALSE: "à l'unanimité" with votes against."""
    if vote.unanimous and vote.against:
        yield ctx.find(
            Code.UNANIMITY_CLAIM_FALSE,
            E,
            f"Le document indique « à l'unanimité » alors que {plural(vote.against, 'voix est contre', 'voix sont contre')}.",
            "/vote/unanimous",
        )


def check_outcome(ctx: ItemContext, vote: Vote) -> Iterator[Finding]:
    """OUTCOME_INCONSISTENT and TIE_CASTING_VOTE for an ordinary deliberation."""
    outcome, pro, con = ctx.item.outcome, vote.for_, vote.against
    if vote.appointment is not None or outcome not in (Outcome.ADOPTED, Outcome.REJECTED):
        return
    if pro is None or con is None:
        return
    if pro == con and pro > 0:
        yield from _tie(ctx, vote, outcome)
        return
    wrong = (outcome is Outcome.ADOPTED and pro <= con) or (
        outcome is Outcome.REJECTED and pro > con
    )
    if wrong:
        said = "adoptée" if outcome is Outcome.ADOPTED else "rejetée"
        yield ctx.find(
            Code.OUTCOME_INCONSISTENT,
            E,
            f"La délibération est dite {said} avec {plural(pro, 'voix', 'voix')} pour et {con} contre.",
            "/outcome",
        )


def _president_vote(ctx: ItemContext, vote: Vote) -> VoteChoice | None:
    if vote.president_vote is not None:
        return vote.president_vote
    president = ctx.meeting.record.meeting.president
    own = [n.choice for n in vote.named_votes if n.member == president and n.on_behalf_of is None]
    return own[0] if own else None


def _tie(ctx: ItemContext, vote: Vote, outcome: Outcome) -> Iterator[Finding]:
    tie = f"Partage égal des voix ({vote.for_} pour, {vote.against} contre)"
    adopted = outcome is Outcome.ADOPTED
    if vote.mode is VoteMode.SECRET:
        if adopted:
            yield ctx.find(
                Code.TIE_CASTING_VOTE,
                E,
                f"{tie} en scrutin secret : pas de voix prépondérante, la proposition est rejetée.",
                "/outcome",
            )
        else:
            yield ctx.find(
                Code.TIE_CASTING_VOTE,
                I,
                f"{tie} en scrutin secret : la proposition est rejetée.",
                "/outcome",
            )
        return
    casting = _president_vote(ctx, vote)
    if casting is None:
        yield ctx.find(
            Code.TIE_CASTING_VOTE,
            I,
            f"{tie} : le vote du président n'est pas connu, la voix prépondérante n'a pas pu être vérifiée.",
            "/vote",
        )
        return
    expected = {VoteChoice.FOR: Outcome.ADOPTED}.get(casting, Outcome.REJECTED)
    sense = {VoteChoice.FOR: "pour", VoteChoice.AGAINST: "contre"}.get(casting)
    if outcome is expected:
        how = (
            f"la voix du président, qui a voté {sense}, est prépondérante"
            if sense
            else "le président n'ayant pas voté, la proposition est rejetée"
        )
        yield ctx.find(Code.TIE_CASTING_VOTE, I, f"{tie} : {how}.", "/outcome")
    else:
        why = f"le président a voté {sense}" if sense else "le président n'a pas voté"
        said = "adoptée" if expected is Outcome.ADOPTED else "rejetée"
        yield ctx.find(
            Code.TIE_CASTING_VOTE,
            E,
            f"{tie} : {why}, sa voix est prépondérante ; la proposition devait être {said}.",
            "/outcome",
        )


def _requested(ctx: ItemContext, requesters: tuple[str, ...], share: int) -> bool:
    present = ctx.count("present")
    listed = ctx.members("present")
    # only members present for the item can ask for a ballot (a fraction of those present)
    asking = set(requesters) & set(listed) if listed is not None else set(requesters)
    return bool(asking) and present is not None and len(asking) * share >= present


def check_ballot_mode(ctx: ItemContext, vote: Vote) -> Iterator[Finding]:
    """SECRET_BALLOT_REQUIRED and NAMED_VOTES_MISSING (L2121-21, L2121-15)."""
    secret_asked = _requested(ctx, vote.secret_requested_by, 3)
    if vote.mode is not VoteMode.SECRET:
        if vote.appointment is not None and vote.secret_waived is not True:
            severity = I if vote.mode is None else E
            yield ctx.find(
                Code.SECRET_BALLOT_REQUIRED,
                severity,
                "Une nomination se vote au scrutin secret, sauf si l'assemblée y renonce à l'unanimité.",
                "/vote/mode",
            )
        elif secret_asked:
            yield ctx.find(
                Code.SECRET_BALLOT_REQUIRED,
                E,
                f"Le scrutin secret a été demandé par {len(set(vote.secret_requested_by))} membres, au moins un tiers des présents : il s'imposait.",
                "/vote/mode",
            )
    if vote.mode is VoteMode.SECRET or secret_asked:
        return
    share = 6 if ctx.meeting.kind in (CollectivityKind.DEPARTEMENT, CollectivityKind.REGION) else 4
    if vote.mode is VoteMode.PUBLIC and not vote.named_votes:
        yield ctx.find(
            Code.NAMED_VOTES_MISSING,
            W,
            "Scrutin public : le nom des votants et le sens de leur vote doivent figurer au procès-verbal.",
            "/vote/named_votes",
        )
    elif vote.mode is not VoteMode.PUBLIC and _requested(ctx, vote.public_requested_by, share):
        yield ctx.find(
            Code.NAMED_VOTES_MISSING,
            E if vote.mode else I,
            f"Le scrutin public a été demandé par au moins 1/{share} des présents, mais le vote n'a pas été public.",
            "/vote/mode",
        )


def check_named_votes(ctx: ItemContext, vote: Vote) -> Iterator[Finding]:
    """NAMED_VOTES_INCONSISTENT: named votes against the tally and the attendance."""
    if not vote.named_votes:
        return
    counts = Counter(n.choice for n in vote.named_votes)
    for choice, declared, label in (
        (VoteChoice.FOR, vote.for_, "pour"),
        (VoteChoice.AGAINST, vote.against, "contre"),
        (VoteChoice.ABSTENTION, vote.abstention, "abstentions"),
        (VoteChoice.NOT_VOTING, vote.not_voting, "ne prend pas part"),
    ):
        if declared is not None and counts[choice] != declared:
            yield ctx.find(
                Code.NAMED_VOTES_INCONSISTENT,
                E,
                f"Les votes nominatifs donnent {counts[choice]} « {label} », le décompte en indique {declared}.",
                "/vote/named_votes",
            )
    yield from _named_voters(ctx, vote)


def _named_voters(ctx: ItemContext, vote: Vote) -> Iterator[Finding]:
    present, withdrawn = ctx.status_set("present"), ctx.status_set("withdrawn")
    holders = {p.giver: p.holder for p in ctx.used_proxies()}
    seen: set[tuple[str, str | None]] = set()
    for i, named in enumerate(vote.named_votes):
        key, name = (named.member, named.on_behalf_of), ctx.meeting.name
        if key in seen:
            problem = f"{name(named.member)} a voté deux fois"
        elif named.member in withdrawn:
            problem = None  # INTERESTED_MEMBER_VOTED reports it
        elif named.on_behalf_of is None and named.member not in present:
            problem = f"{name(named.member)} a voté sans être présent(e)"
        elif named.on_behalf_of is not None and holders.get(named.on_behalf_of, "") not in (
            named.member,
            None,
        ):
            problem = f"{name(named.member)} a voté pour {name(named.on_behalf_of)} sans détenir sa procuration"
        else:
            problem = None
        seen.add(key)
        if problem and ctx.members("present") is not None:
            yield ctx.find(
                Code.NAMED_VOTES_INCONSISTENT, E, f"{problem}.", f"/vote/named_votes/{i}"
            )


def check_interested(ctx: ItemContext, vote: Vote | None) -> Iterator[Finding]:
    """INTERESTED_MEMBER_VOTED: members with an interest took part (L2131-11, L1111-6)."""
    present, withdrawn = ctx.status_set("present"), ctx.status_set("withdrawn")
    voted = {
        n.member
        for n in (vote.named_votes if vote else ())
        if n.choice is not VoteChoice.NOT_VOTING
    }
    for member in dict.fromkeys([*ctx.item.interested, *sorted(withdrawn)]):
        if member in voted:
            how = "a pris part au vote"
        elif member in ctx.item.interested and member in present:
            how = "a pris part à la délibération au lieu de se retirer"
        elif member in ctx.item.interested and member in ctx.status_set("represented"):
            how = "a pris part au vote par procuration"
        else:
            continue
        yield ctx.find(
            Code.INTERESTED_MEMBER_VOTED,
            E,
            f"{ctx.meeting.name(member)}, intéressé(e) à l'affaire, {how}.",
            "/interested",
        )
