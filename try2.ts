import { parseListing } from '@tidings/parser';
import { generatedListing } from './bench/generate.js';

const bytes = generatedListing(10000);
for (let i = 0; i < 4; i++) parseListing(bytes, { url: 'https://jy.tj.gov.cn/JYXW/TJJY/index.html' });
