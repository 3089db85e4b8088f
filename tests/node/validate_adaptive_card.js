#!/usr/bin/env node
// SPDX-License-Identifier: MPL-2.0
// Checks a Teams payload with Microsoft's own Adaptive Cards library.
//
//   node validate_adaptive_card.js PAYLOAD.json
//
// PAYLOAD.json is the body the webhook plugin posted for format = "teams": the
// message envelope {"type": "message", "attachments": [{"contentType":
// "application/vnd.microsoft.card.adaptive", "content": card}]}. The card is
// parsed with AdaptiveCard.parse under a SerializationContext, then its
// properties are validated. Exits 0 and prints a JSON summary (the url of
// every Action.OpenUrl, in order) when the envelope is right, neither step
// reports anything worse than a hint, and the card has a body and at least one
// action (top level or in an ActionSet); otherwise prints each problem to
// stderr and exits 1. Exit 2: bad usage or an unreadable file.
"use strict";

const fs = require("fs");
// The package's "main" (lib/) is ES modules with extension-less imports, which
// node cannot load; dist/ holds the same library as one UMD bundle.
const AC = require("adaptivecards/dist/adaptivecards.js");

const k_card_type = "application/vnd.microsoft.card.adaptive";

function fail(problems) {
    for (const p of problems) process.stderr.write(`adaptive card: ${p}\n`);
    process.exit(1);
}

// The card inside the envelope, or a list of what is wrong with the envelope.
function cardOf(payload) {
    const problems = [];
    if (payload === null || typeof payload !== "object" || Array.isArray(payload))
        return { problems: ["the payload is not a JSON object"] };
    if (payload.type !== "message") problems.push(`envelope type is ${JSON.stringify(payload.type)}, not "message"`);
    if (!Array.isArray(payload.attachments) || payload.attachments.length !== 1)
        return { problems: problems.concat(["the envelope needs exactly one attachment"]) };
    const attachment = payload.attachments[0];
    if (attachment.contentType !== k_card_type)
        problems.push(`attachment contentType is ${JSON.stringify(attachment.contentType)}`);
    if (!("contentUrl" in attachment) || attachment.contentUrl !== null)
        problems.push("attachment contentUrl must be present and null");
    if (attachment.content === null || typeof attachment.content !== "object")
        return { problems: problems.concat(["the attachment has no card in content"]) };
    return { card: attachment.content, problems };
}

// Every action of the card: its own and those of ActionSets, depth first.
function allActions(card) {
    const out = [];
    for (let i = 0; i < card.getActionCount(); i++) out.push(card.getActionAt(i));
    const walk = (element) => {
        if (element instanceof AC.ActionSet) {
            for (let i = 0; i < element.getActionCount(); i++) out.push(element.getActionAt(i));
        }
        if (typeof element.getItemCount === "function") {
            for (let i = 0; i < element.getItemCount(); i++) walk(element.getItemAt(i));
        }
    };
    for (let i = 0; i < card.getItemCount(); i++) walk(card.getItemAt(i));
    return out;
}

function describe(event) {
    return `${AC.ValidationPhase[event.phase]} ${AC.ValidationEvent[event.event]}: ${event.message}`;
}

function main(argv) {
    if (argv.length !== 1) {
        process.stderr.write("usage: validate_adaptive_card.js PAYLOAD.json\n");
        process.exit(2);
    }
    let payload;
    try {
        payload = JSON.parse(fs.readFileSync(argv[0], "utf8"));
    } catch (e) {
        process.stderr.write(`adaptive card: cannot read ${argv[0]}: ${e.message}\n`);
        process.exit(2);
    }
    const { card: json, problems } = cardOf(payload);
    if (!json) fail(problems);
    if (json.type !== "AdaptiveCard") problems.push(`card type is ${JSON.stringify(json.type)}`);

    const card = new AC.AdaptiveCard();
    const context = new AC.SerializationContext();
    card.parse(json, context);
    for (let i = 0; i < context.eventCount; i++) {
        const event = context.getEventAt(i);
        if (event.event !== AC.ValidationEvent.Hint) problems.push(describe(event));
    }
    for (const event of card.validateProperties().validationEvents) {
        if (event.event !== AC.ValidationEvent.Hint) problems.push(describe(event));
    }

    if (card.getItemCount() === 0) problems.push("the card has no body");
    const actions = allActions(card);
    if (actions.length === 0) problems.push("the card has no actions");
    const urls = [];
    for (const action of actions) {
        if (!(action instanceof AC.OpenUrlAction)) continue;
        if (!/^https?:\/\//.test(action.url || "")) problems.push(`Action.OpenUrl without an http(s) url: ${action.url}`);
        if (!action.title) problems.push(`Action.OpenUrl without a title: ${action.url}`);
        urls.push(action.url);
    }
    if (problems.length > 0) fail(problems);
    process.stdout.write(JSON.stringify({ version: card.version.toString(), body: card.getItemCount(), open_urls: urls }) + "\n");
}

main(process.argv.slice(2));
