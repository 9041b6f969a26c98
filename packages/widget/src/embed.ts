// The served /widget.js: defines <tidings-feed> (unless the page already has it). Elements parsed
// before this script runs are upgraded; later ones are created upgraded.
import { defineTidingsFeed } from './element.js';

defineTidingsFeed();
