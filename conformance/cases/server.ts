import type { Case } from "../harness.ts";

const cases: Case[] = [];

export default cases;
